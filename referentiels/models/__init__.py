"""Reference data, one module per referential; everything is re-exported here."""

from .certifications import *  # noqa: F403
from .entreprises import *  # noqa: F403
from .geographie import *  # noqa: F403
from .minima import *  # noqa: F403
from .nomenclatures import *  # noqa: F403
from .organismes import *  # noqa: F403
from .parametres import *  # noqa: F403
