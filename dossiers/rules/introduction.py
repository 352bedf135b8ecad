"""Rules of the Introduction tab: the notice must be acknowledged."""

from dossiers.rules import PARTAGEE, obligatoire, source

source("introduction", lambda dossier: dossier)

obligatoire("introduction", "notice_lue", code="INTRODUCTION_NOTICE_OBLIGATOIRE", coche=True, dispositifs=PARTAGEE)
