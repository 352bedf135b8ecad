"""schemathesis' hooks for the API's contract tests (scripts/essai-api, via scripts/schemathesis.toml).

A generated request whose request line is over gunicorn's limit (4 094 bytes: a query of hundreds of repeated
parameters) is refused by gunicorn with a 414 before the portal sees it: that answer is the HTTP server's, not the
API's, and is not held against the schema. Every other failure stands.
"""

import schemathesis

LIGNE_TROP_LONGUE = 414  # « URI Too Long », gunicorn's limit_request_line


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    return response is None or response.status_code != LIGNE_TROP_LONGUE
