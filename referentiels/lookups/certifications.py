"""Lookup of RNCP / RS certifications by code or title words; inactive ones come with their active successor."""

import re

from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Length
from django.urls import path

from referentiels.models import Certification, CertificationMot, replacement_chains
from referentiels.search import mots
from referentiels.validators import REPERTOIRES_CERTIFICATION

from . import LIMIT, respond

# "RNCP34567", "rncp 34567", "34567", "RS1234": a code, or the beginning of one while the user types;
# a bloc de compétences ("RNCP34567BC02") finds its fiche.
_CODE_QUERY = re.compile(rf"({'|'.join(REPERTOIRES_CERTIFICATION)})?\s*0*([0-9]+)(?:BC[0-9]{{0,2}})?", re.IGNORECASE)


def search(q: str):
    """Certifications matching ``q``, best first: exact code, then active, then code or title order.

    Words: every word of two letters or more must begin a word of the title or abbreviation (normalised),
    so that a word being typed already matches; read from the ``CertificationMot`` index.
    """
    match = _CODE_QUERY.fullmatch(q.strip())
    if match:
        prefixes = [match.group(1).upper()] if match.group(1) else ["RNCP", "RS"]
        codes = [f"{prefix}{match.group(2)}" for prefix in prefixes]
        condition = Q()
        for code in codes:
            # The code and every code it begins (digits sort before ":"): an index range, on any database.
            condition |= Q(code__gte=code, code__lt=f"{code}:")
        exact = Case(When(code__in=codes, then=Value(0)), default=Value(1), output_field=IntegerField())
        return Certification.objects.filter(condition).order_by(exact, "-actif", Length("code"), "code")
    words = [word for word in mots(q) if len(word) > 1]
    if not words:
        return Certification.objects.none()
    queryset = Certification.objects.all()
    for word in sorted(words, key=len, reverse=True):  # the longest word is the most selective: test it first
        queryset = queryset.filter(pk__in=CertificationMot.matching(word))
    return queryset.order_by("-actif", "intitule_recherche", "code")  # certification_recherche_idx's order


def row(certification: Certification, chain=None) -> dict:
    successor = chain.active_successor if chain else None
    return {
        "code": certification.code,
        "type": certification.type,
        "intitule": certification.intitule,
        "abrege": certification.abrege_libelle,
        "niveau": certification.niveau,
        "actif": certification.actif,
        "date_fin_enregistrement": (
            certification.date_fin_enregistrement.isoformat() if certification.date_fin_enregistrement else None
        ),
        "accessible_contrat_pro": certification.accessible_contrat_pro,
        "codes_nsf": certification.nsf,
        "successeur": (
            {"code": successor.code, "intitule": successor.intitule, "niveau": successor.niveau} if successor else None
        ),
        # The export announces a replacement whose fiche is not in the referential (yet).
        "remplacement_inconnu": chain.broken_code if chain and not successor else None,
    }


@login_required
def certifications(request):
    q = request.GET.get("q", "").strip()
    found = list(search(q)[:LIMIT]) if q else []
    chains = replacement_chains([c for c in found if not c.actif])  # a few queries per hop for the whole page
    rows = [row(certification, chains.get(certification.code)) for certification in found]
    return respond(request, "referentiels/lookups/certifications.html", rows, q=q)


urlpatterns = [path("certifications/", certifications, name="lookup_certifications")]
