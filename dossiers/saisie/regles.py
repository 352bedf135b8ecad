"""The list of checks the portal applies, so users and gestionnaires can see what is verified."""

import re

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dossiers import rules
from dossiers.saisie import onglets

# Rules repeated for every training module (MODULE1, MODULE2…) are listed once, as MODULE{n}.
_MODULE = re.compile(r"MODULE(\d+)", re.IGNORECASE)


def _listed(rule) -> bool:
    match = _MODULE.search(rule.code)
    return not match or match.group(1) == "1"


def _display(rule) -> dict:
    return {
        "code": _MODULE.sub("MODULE{n}", rule.code),
        "kind": rule.kind,
        "severite": rule.severite,
        "fields": [re.sub(r"^module1_", "module{n}_", f) for f in rule.fields],
        "message": rule.message,
        "description": rule.description,
        "source": rule.source,
    }


@login_required
def liste_regles(request):
    par_onglet = [
        (onglet, [_display(r) for r in rules.REGISTRY.rules if r.onglet == onglet.slug and _listed(r)])
        for onglet in onglets.ONGLETS
    ]
    return render(request, "dossiers/regles.html", {"par_onglet": [(o, rs) for o, rs in par_onglet if rs]})
