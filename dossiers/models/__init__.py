"""Dossier models, one module per part: the dossier and its first tabs, the contract, the training."""

from dossiers.models.api import *  # noqa: F403
from dossiers.models.contrat import *  # noqa: F403
from dossiers.models.dossier import *  # noqa: F403
from dossiers.models.export import *  # noqa: F403
from dossiers.models.financement import *  # noqa: F403
from dossiers.models.formation import *  # noqa: F403
from dossiers.models.idempotence import *  # noqa: F403
from dossiers.models.instruction import *  # noqa: F403
from dossiers.models.reconversion import *  # noqa: F403
from dossiers.models.webhooks import *  # noqa: F403
