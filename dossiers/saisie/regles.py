"""The list of checks the portal applies, so users and gestionnaires can see what is verified.

Each rule shows the RULES.md requirements it implements; ``?exigence=X-14`` keeps the rules of one requirement,
``?onglet=contrat`` those of one tab. Requirements checked outside the engine, and those that cannot arise in the
portal, are listed below the rules (``dossiers.rules.exigences``).
"""

import re

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dossiers import rules
from dossiers.enums import CodeDispositif
from dossiers.rules import exigences as _exigences
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
        "exigences": rule.exigences,
        "dispositifs": ", ".join(CodeDispositif(code).label for code in rule.dispositifs),
    }


@login_required
def liste_regles(request):
    toutes = _exigences.toutes()
    exigence = request.GET.get("exigence", "").strip().upper()
    exigence = exigence if exigence in toutes else ""
    onglet_choisi = request.GET.get("onglet", "")
    onglet_choisi = onglet_choisi if any(o.slug == onglet_choisi for o in onglets.TOUS) else ""

    def retenue(rule) -> bool:
        return _listed(rule) and (not exigence or exigence in rule.exigences)

    par_onglet = [
        (onglet, [_display(r) for r in rules.REGISTRY.rules if r.onglet == onglet.slug and retenue(r)])
        for onglet in onglets.TOUS
        if not onglet_choisi or onglet.slug == onglet_choisi
    ]
    ailleurs = [(k, v) for k, v in sorted(_exigences.HORS_REGISTRE.items()) if not exigence or k == exigence]
    sans_objet = [(k, v) for k, v in sorted(_exigences.NON_APPLICABLES.items()) if not exigence or k == exigence]
    return render(
        request,
        "dossiers/regles.html",
        {
            "par_onglet": [(o, rs) for o, rs in par_onglet if rs],
            "exigences": toutes,
            "exigence": exigence,
            "onglets": onglets.TOUS,
            "onglet_choisi": onglet_choisi,
            "filtre_inconnu": bool(request.GET.get("exigence", "").strip()) and not exigence,
            "ailleurs": ailleurs if not onglet_choisi else [],
            "sans_objet": sans_objet if not onglet_choisi else [],
        },
    )
