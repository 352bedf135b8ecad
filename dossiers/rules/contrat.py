"""Rules of the Contrat tab (RULES.md §1.3.4, §2.3, §2.5–§2.7)."""

from . import source

source("contrat", lambda dossier: dossier.contrat)
