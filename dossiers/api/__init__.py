"""The REST API of the training organisations, ``/api/v1/`` (django-ninja, ADR 0022).

- ``cles``: the API keys (created, checked, revoked) and the rate limit;
- ``v1``: the API itself: its authentication, the dossiers' list and page, the OpenAPI schema and docs page;
- ``journal``: one log line per call (method, path template, organisation, status, duration: no personal data);
- ``vues``: the portal page « Clés d'API » where the prestataire's users create and revoke the keys.
"""
