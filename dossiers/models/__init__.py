"""Dossier models, one module per part: the dossier and its first tabs, the contract, the training."""

from .contrat import *  # noqa: F403
from .dossier import *  # noqa: F403
from .financement import *  # noqa: F403
from .formation import *  # noqa: F403
