"""What the Documents tab reads and writes: the types of a dossier, which are mandatory, uploads, deletions.

``documents`` reads a dossier (its sous-dispositif, its training modules) and never changes its state.
A write (upload, deletion) bumps the dossier's ``version`` under the same optimistic lock as a tab save
(``ecrire_sous_verrou``): two people editing the same dossier never silently overwrite each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from documents import sniffing
from documents.models import PieceJointe, TypeDocument
from documents.types import Obligation
from portal.tables import lignes

CACHE = "_documents_cache"


def _cache(dossier) -> dict:
    return dossier.__dict__.setdefault(CACHE, {})


def invalider(dossier) -> None:
    """A file was added or deleted: read them again (not the ones the dossier was loaded with)."""
    dossier.__dict__.pop(CACHE, None)
    getattr(dossier, "_prefetched_objects_cache", {}).pop(PIECES, None)


def types_formation(dossier) -> set[str]:
    """``{"externe", "interne"}``, one of them, or nothing: the kinds of the dossier's training modules."""
    formation = getattr(dossier, "formation", None)
    return {m.type for m in formation.liste_modules} if formation is not None else set()


def types_du_dossier(dossier) -> list[TypeDocument]:
    """Active types applying to the dossier's sous-dispositif and contract type (CERFA C3: the *Convention
    tripartite* of type 12 only), in order (read once per dossier instance and contract type: the Contrat tab
    changes the type in memory before the rules read it)."""
    cache = _cache(dossier)
    cle = (dossier.sous_dispositif.code, dossier.type_contrat or "")
    if cache.get("types_pour") != cle:
        cache["types_pour"] = cle
        cache["types"] = [t for t in lignes(TypeDocument) if t.actif and t.s_applique_a(*cle)]
    return cache["types"]


def est_obligatoire(type_document: TypeDocument, formations: set[str]) -> bool:
    return type_document.obligation == Obligation.TOUJOURS or (
        type_document.obligation in (Obligation.EXTERNE, Obligation.INTERNE) and type_document.obligation in formations
    )


def types_obligatoires(dossier) -> list[TypeDocument]:
    """The one place saying which types a dossier must transmit: by sous-dispositif, contract type (the types of
    ``types_du_dossier``) and internal/external training.

    *Toujours*: always; *externe*: when a module is external; *interne*: when a module is internal (a dossier
    with both kinds of modules needs both lists); *jamais*: never.
    """
    formations = types_formation(dossier)
    return [t for t in types_du_dossier(dossier) if est_obligatoire(t, formations)]


PIECES = "pieces_jointes"


def pieces_avec_type():
    """What a view passes to ``prefetch_related`` so that the dossier comes with its files (one query)."""
    from django.db.models import Prefetch

    return Prefetch(PIECES, queryset=PieceJointe.objects.select_related("type"))


def pieces(dossier) -> list[PieceJointe]:
    """The dossier's files (those it was loaded with, ``pieces_avec_type``, or read now)."""
    cache = _cache(dossier)
    if "pieces" not in cache:
        if PIECES in getattr(dossier, "_prefetched_objects_cache", {}):
            cache["pieces"] = list(dossier.pieces_jointes.all())
        else:
            cache["pieces"] = list(dossier.pieces_jointes.select_related("type")) if dossier.pk else []
    return cache["pieces"]


def nombre_par_code(dossier) -> dict[str, int]:
    result: dict[str, int] = {}
    for piece in pieces(dossier):
        result[piece.type.code] = result.get(piece.type.code, 0) + 1
    return result


@dataclass
class Section:
    type: TypeDocument
    obligatoire: bool
    pieces: list[PieceJointe] = field(default_factory=list)
    erreurs: list[str] = field(default_factory=list)

    @property
    def champ(self) -> str:
        """The rules' field name for this type (``dossiers/rules/documents.py``)."""
        return f"type_{self.type.code.lower()}"

    @property
    def complet(self) -> bool:
        return bool(self.pieces)

    @property
    def plein(self) -> bool:
        return len(self.pieces) >= sniffing.FICHIERS_MAX


def sections(
    dossier, *, afficher: set[str] = frozenset(), erreurs: dict[str, list[str]] | None = None
) -> list[Section]:
    """The types shown on the tab: those of the dossier's training kinds (all of them before any module),
    the optional ones, the *Ajouter un fichier* ones when asked (``afficher``) or holding files."""
    formations = types_formation(dossier)
    par_type: dict[int, list[PieceJointe]] = {}
    for piece in pieces(dossier):
        par_type.setdefault(piece.type_id, []).append(piece)
    result = []
    for t in types_du_dossier(dossier):
        contenus = par_type.get(t.pk, [])
        if t.ajout_libre:
            visible = bool(contenus) or t.code in afficher
        elif t.obligation in (Obligation.EXTERNE, Obligation.INTERNE):
            visible = bool(contenus) or not formations or t.obligation in formations
        else:
            visible = True
        if visible:
            result.append(Section(t, est_obligatoire(t, formations), contenus, (erreurs or {}).get(t.code, [])))
    # Files of a type that no longer applies (sous-dispositif or type changed) are never hidden.
    montres = {s.type.pk for s in result}
    for piece in pieces(dossier):
        if piece.type_id not in montres:
            montres.add(piece.type_id)
            result.append(Section(piece.type, False, par_type[piece.type_id]))
    return result


def compteur(dossier) -> tuple[int, int]:
    """(types obligatoires chargés, types obligatoires): *X/X types de documents obligatoires à transmettre*."""
    nombres = nombre_par_code(dossier)
    obligatoires = types_obligatoires(dossier)
    return sum(1 for t in obligatoires if nombres.get(t.code)), len(obligatoires)


def non_conformes(dossier, type_document: TypeDocument | None = None) -> list[PieceJointe]:
    """The pieces the gestionnaire marked *Non conforme* (of one type when given): the adhérent replaces them."""
    return [p for p in pieces(dossier) if p.non_conforme and (type_document is None or p.type_id == type_document.pk)]


def pieces_a_remplacer(dossier) -> str:
    """« Pièces à remplacer : Programme (programme.pdf) — illisible ; … », empty when every piece is fine: what
    *Demander des compléments* offers as its comment."""
    lignes_ = [f"{p.type.libelle} ({p.nom_original}) — {p.motif_avis}" for p in non_conformes(dossier)]
    return f"Pièces à remplacer : {' ; '.join(lignes_)}." if lignes_ else ""


def verifier_lot(dossier, type_document: TypeDocument, fichiers) -> tuple[list[sniffing.Verifie], list[str]]:
    """Check a selection for one type: every file, then the count (the non-conforming files it replaces aside).
    Any refusal → nothing is stored. The refusals are French messages, each with its ``code`` (``sniffing.Refus``)."""
    erreurs, verifies = [], []
    if not fichiers:
        return [], [sniffing.Refus("Choisissez au moins un fichier.", "DOCUMENTS_AUCUN_FICHIER")]
    deja = nombre_par_code(dossier).get(type_document.code, 0) - len(non_conformes(dossier, type_document))
    if deja + len(fichiers) > sniffing.FICHIERS_MAX:
        message = sniffing.MSG_NOMBRE.format(libelle=type_document.libelle, deja=deja, ajout=len(fichiers))
        erreurs.append(sniffing.Refus(message, "DOCUMENTS_NOMBRE_MAX"))
    for fichier in fichiers:
        try:
            verifies.append(sniffing.verifier(fichier))
        except sniffing.FichierRefuse as refus:
            erreurs.append(sniffing.Refus(refus.message, refus.code))
    return verifies, erreurs


def enregistrer(dossier, type_document: TypeDocument, fichiers, verifies, user) -> list[PieceJointe]:
    """Store checked files (inside the lock's transaction; a stored file is removed if the transaction fails).
    They replace the type's files the gestionnaire marked *Non conforme* (deleted with them).

    The storage writes whole files or none (``documents/stockage.py``); a file whose row is not written is removed
    here, and by the view when the lock's transaction fails after this returned (``effacer_fichiers``)."""
    remplaces = non_conformes(dossier, type_document)
    crees = []
    try:
        for fichier, verifie in zip(fichiers, verifies, strict=True):
            fichier.seek(0)
            piece = PieceJointe(
                dossier=dossier,
                type=type_document,
                nom_original=verifie.nom,
                taille=verifie.taille,
                type_contenu=verifie.content_type,
                depose_par=user,
            )
            piece.fichier.save(f"piece.{verifie.extension}", fichier, save=False)
            crees.append(piece)
            piece.save()
    except Exception:
        effacer_fichiers(crees)
        raise
    for piece in remplaces:
        supprimer(piece)
    invalider(dossier)
    return crees


def effacer_fichiers(crees: list[PieceJointe]) -> None:
    """Remove the stored files of pieces whose rows were not written (or rolled back): no file without its row."""
    for piece in crees:
        if piece.fichier.name:
            piece.fichier.storage.delete(piece.fichier.name)


def supprimer(piece: PieceJointe) -> None:
    """Delete the row, then the stored file once the deletion is committed."""
    name, storage = piece.fichier.name, piece.fichier.storage
    dossier = piece.dossier
    piece.delete()
    transaction.on_commit(lambda: storage.delete(name))
    invalider(dossier)
