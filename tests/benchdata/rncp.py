"""A realistic 30k-row certifications table (``generate_certifications``) and the lookups to time on it.

Titles are recombined from the real titles of the committed extract (``referentiels/data/``), so that
word searches hit the selectivity of real data; about 20 % of the fiches are inactive and replaced,
through chains of 1 to 3 hops, a few splits (one old fiche, two new ones) and a few broken links.
"""

import datetime
import random
import statistics
import time

from django.db import transaction

from referentiels.management.commands.import_rncp import DEFAULT_EXTRACT, Export, parse_standard
from referentiels.models import Certification, CertificationMot, CertificationRemplacement, TypeCertification
from referentiels.models.certifications import search_key, search_words

LEVELS = [3, 4, 5, 6, 7, 8, None]
LEVEL_WEIGHTS = [15, 15, 20, 25, 20, 2, 3]
ABREGES = {3: ["CAP", "TP", "BEP", ""], 4: ["BAC PRO", "BP", "TP", ""], 5: ["BTS", "TP", "DEUST", ""]}
ABREGES.update({6: ["Licence Professionnelle", "BUT", "TP", ""], 7: ["MASTER", "Titre ingénieur", ""], 8: [""]})
NSF = ["221w", "251", "310m", "312t", "315", "326", "330", "334", "335t", "344", "230", "255", "311"]
CERTIFICATEURS = ["MINISTERE DU TRAVAIL", "MINISTERE DE L'EDUCATION NATIONALE", "CCI FRANCE", "AFPA", "SIMPLON.CO"]
TODAY = datetime.date(2025, 1, 1)


def real_titles() -> list[str]:
    return [values["intitule"] for values in parse_standard(Export(DEFAULT_EXTRACT).files["standard"], []).values()]


class TitleMaker:
    """French-looking titles: the head of one real title, the tail of another."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.titles = [title.split() for title in real_titles() if len(title.split()) >= 2]

    def __call__(self) -> str:
        head = self.rng.choice(self.titles)
        tail = self.rng.choice(self.titles)
        words = head[: self.rng.randint(2, 4)] + tail[-self.rng.randint(1, 4) :]
        if self.rng.random() < 0.15:
            words += ["option", *self.rng.choice(self.titles)[-2:]]
        return " ".join(words)[:300]


def _fiche(code: str, title: str, rng: random.Random, actif: bool) -> Certification:
    type_ = TypeCertification.RS if code.startswith("RS") else TypeCertification.RNCP
    niveau = rng.choices(LEVELS, LEVEL_WEIGHTS)[0] if type_ == TypeCertification.RNCP else None
    abrege = rng.choice(ABREGES.get(niveau, [""]))
    years = rng.randint(1, 5) if actif else -rng.randint(1, 15)
    return Certification(
        code=code,
        type=type_,
        intitule=title,
        intitule_recherche=search_key(title, abrege),
        abrege_libelle=abrege,
        niveau=niveau,
        actif=actif,
        date_fin_enregistrement=TODAY + datetime.timedelta(days=365 * years + rng.randint(0, 364)),
        type_enregistrement=rng.choice(["Enregistrement de droit", "Enregistrement sur demande"]),
        accessible_contrat_pro=rng.choices([True, False, None], [70, 20, 10])[0],
        codes_nsf=", ".join(rng.sample(NSF, rng.randint(1, 2))),
        certificateurs=rng.choice(CERTIFICATEURS),
    )


def generate_certifications(n: int = 30_000, seed: int = 20240222) -> dict:
    """Bulk-create ``n`` certifications (and their replacement links) on top of the table; return figures."""
    rng = random.Random(seed)
    make_title = TitleMaker(rng)
    taken = set(Certification.objects.values_list("code", flat=True))
    n_rs = n // 4
    rncp = [f"RNCP{k}" for k in rng.sample(range(100, 45_000), n - n_rs + len(taken))]
    rs = [f"RS{k}" for k in rng.sample(range(10, 10_000), n_rs + len(taken))]
    codes = [code for code in rncp + rs if code not in taken][:n]
    rng.shuffle(codes)
    # Newest registrations (highest numbers) are the active ones a replaced fiche points to.
    codes.sort(key=lambda code: int(code.lstrip("RNCPS")))
    inactive_count = n // 5
    fiches, links = [], []
    # Chains, oldest first: 1 hop (60 %), 2 hops (25 %), 3 hops (10 %); 5 % dead ends or broken links.
    olds, news = codes[:inactive_count], codes[inactive_count:]
    rng.shuffle(news)
    spare_news = iter(news)
    i = 0
    while i < len(olds):
        hops = rng.choices([1, 2, 3, 0], [60, 25, 10, 5])[0]
        chain = olds[i : i + max(hops, 1)]
        i += len(chain)
        title = make_title()
        variants = [title if rng.random() < 0.6 else make_title() for _ in chain]
        fiches += [_fiche(code, variant, rng, actif=False) for code, variant in zip(chain, variants)]
        links += list(zip(chain, chain[1:]))
        if hops == 0:
            if rng.random() < 0.5:  # announced replacement never published
                links.append((chain[-1], f"RNCP{90_000 + i}"))
            continue
        successor = next(spare_news, None)
        if successor is None:
            continue
        fiches.append(_fiche(successor, title, rng, actif=True))
        links.append((chain[-1], successor))
        if rng.random() < 0.03 and (other := next(spare_news, None)):  # a split: two new fiches
            fiches.append(_fiche(other, make_title(), rng, actif=True))
            links.append((chain[-1], other))
    fiches += [_fiche(code, make_title(), rng, actif=True) for code in spare_news]
    started = time.perf_counter()
    with transaction.atomic():
        Certification.objects.bulk_create(fiches, batch_size=2000)
        CertificationRemplacement.objects.bulk_create(
            [CertificationRemplacement(ancien_code=a, nouveau_code=b) for a, b in links],
            batch_size=2000,
            ignore_conflicts=True,
        )
        CertificationMot.synchronise()
    return {
        "certifications": len(fiches),
        "inactives": sum(not f.actif for f in fiches),
        "liens": len(links),
        "secondes": time.perf_counter() - started,
    }


def lookup_queries(count: int = 50, seed: int = 1) -> dict[str, list[str]]:
    """Queries to time: existing codes (half typed without prefix), and two words of existing titles."""
    rng = random.Random(seed)
    rows = list(Certification.objects.order_by("?").values_list("code", "intitule")[: count * 4])
    codes = [code if k % 2 else code.removeprefix("RNCP") for k, (code, _) in enumerate(rows[:count])]
    pairs = []
    for _, title in rows:
        words = [word for word in search_words(title) if len(word) >= 4]
        if len(words) >= 2:
            pairs.append(" ".join(rng.sample(words, 2)))
        if len(pairs) == count:
            break
    return {"code": codes, "mots": pairs}


def time_lookup(client, queries: list[str], calls: int = 200, url: str = "/referentiels/certifications/") -> dict:
    """Median and p90 (ms) of ``calls`` lookups cycling through ``queries``; uses ``response.bench_server_ms``
    when the bench's server-timer middleware is installed, else the client's round trip."""
    times = []
    for k in range(calls):
        started = time.perf_counter_ns()
        response = client.get(url, {"q": queries[k % len(queries)]}, headers={"HX-Request": "true"})
        elapsed = (time.perf_counter_ns() - started) / 1e6
        assert response.status_code == 200, response.status_code
        times.append(getattr(response, "bench_server_ms", elapsed))
    return {
        "median_ms": statistics.median(times),
        "p90_ms": statistics.quantiles(times, n=10, method="inclusive")[8],
        "calls": calls,
    }
