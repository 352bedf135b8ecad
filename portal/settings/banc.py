"""The load test's settings (`make charge`, tests/charge/): production's, plus a bare baseline view.

Never used by the image: ``portal.settings.prod`` unchanged, with the URLconf ``portal.banc`` (the portal's URLs
and ``/_banc/temoin/``) and its outermost middleware numbering each worker's requests.
"""

from .prod import *  # noqa: F403
from .prod import MIDDLEWARE

ROOT_URLCONF = "portal.banc"
MIDDLEWARE = ["portal.banc.NumeroDeRequete", *MIDDLEWARE]
