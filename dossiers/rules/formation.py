"""Rules of the Formation tab (RULES.md §1.3.5, §2.4, §2.13)."""

from . import source

source("formation", lambda dossier: dossier.formation)
