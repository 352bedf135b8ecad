"""The API's writes: create a pre-entered dossier, update it while it is the organisation's (``Brouillon
prestataire``). They run on the portal's own engine, so what the API accepts is exactly what the portal would:

- **the creation** is the wizard's: the same choices (``saisie/assistant/etapes.py``: an AKTO member establishment,
  the dispositif open for it, an open sous-dispositif, a type de contrat, the type de public of a temporary work
  agency), checked by its form (``ChoixForm``), then ``services.dossier_create`` as the key's author;
- **the data go through the tabs' own forms** (``saisie/vues.formulaire``: the one the tab view binds, the
  employer's attestations disabled), bound with the stored values and, over them, the JSON's (a PATCH sends only
  some fields: the others keep their value); the modules through the module form (``ModuleForm``). A format error
  is the form's error, under the tab's field name, with its French message; one error and nothing is written;
- **one write**: every section under ``services.ecrire_sous_verrou`` (the optimistic lock, one version bump per
  request, one transaction), the creation's included (``dossier_create(completer=…)``).

The JSON schema (the OpenAPI documentation) is derived from the same forms: each field's type from its form field,
its description from its label and help text, its codes (the CERFA code lists) from its choices. Nothing is copied.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.http import HttpRequest
from ninja import Field, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, create_model
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from dossiers import acces, services
from dossiers.api import erreurs
from dossiers.api.v1 import ETIQUETTE, AnomalieSchema, DossierDetail, Erreur, api, detail, dossier_de
from dossiers.enums import TypePublic
from dossiers.models import Dossier, ModuleFormation, SousDispositif, Tuteur
from dossiers.rules.formation import MAX_MODULES
from dossiers.saisie import onglets, vues
from dossiers.saisie.assistant import etapes as assistant
from dossiers.saisie.assistant.formulaire import ChoixForm
from dossiers.saisie.champs import MontantFrField, OuiNonField
from dossiers.saisie.chargement import pour_les_regles
from dossiers.saisie.onglets.accord.formulaire import AccordForm
from dossiers.saisie.onglets.contrat.formulaire import ContratForm, DureeHebdoField
from dossiers.saisie.onglets.formation.formulaire import FormationForm, ModuleForm, TypeModuleForm
from dossiers.saisie.onglets.introduction.formulaire import IntroductionForm
from dossiers.saisie.onglets.salarie.formulaire import TUTEUR_CHAMPS, SalarieForm
from referentiels.models import Etablissement, OrganismeFormation
from referentiels.validators import validate_siret

MSG_ETABLISSEMENT = "Aucun établissement adhérent d'AKTO ne porte ce SIRET."
MSG_SOUS_DISPOSITIF = "Ce sous-dispositif n'est pas ouvert pour cet établissement."
MSG_PERIME = (
    "Ce dossier a été modifié depuis la version envoyée : rien n'a été enregistré. Relisez-le "
    "(GET /api/v1/dossiers/{numero}) et renvoyez vos modifications avec sa version actuelle."
)
MSG_NON_MODIFIABLE = (
    "Ce dossier n'est plus modifiable par l'organisme de formation dans son état actuel (il l'est en « Brouillon "
    "prestataire »)."
)
MSG_AUTEUR = (
    "L'auteur de cette clé d'API n'est plus rattaché à l'organisme : créez une nouvelle clé dans le portail "
    "(page « Clés d'API »)."
)
MSG_ONGLET = "Cet onglet n'est pas saisi par l'organisme de formation."
MSG_ONGLET_ABSENT = "Ce dispositif n'a pas cet onglet."
MSG_SANS_TYPE_CONTRAT = "Ce dispositif n'a pas de type de contrat ou d'avenant."
MSG_MODULES = f"Un dossier compte au plus {MAX_MODULES} modules de formation."

# -- the schema, derived from the forms ----------------------------------------------------------------------------

NOTES = {
    "nir": "Jamais renvoyé dans une réponse.",
    "commune": "Code INSEE de la commune, parmi celles du code postal.",
    "duree_hebdo_minutes": "En minutes (Ex : 2100 pour 35h00).",
    "organisme": "SIRET de l'organisme de formation (référentiel des organismes).",
}


def _type(field: forms.Field):
    if isinstance(field, (OuiNonField, forms.BooleanField)):
        return bool
    if isinstance(field, forms.DateField):
        return dt.date
    if isinstance(field, (forms.IntegerField, DureeHebdoField)):
        return int
    if isinstance(field, MontantFrField):
        return Decimal
    return str


def _codes(field: forms.Field) -> list[tuple[str, str]]:
    if isinstance(field, (OuiNonField, forms.ModelChoiceField)) or not isinstance(field, forms.ChoiceField):
        return []
    return [(str(k), str(v)) for k, v in field.choices if k not in ("", None)]


def _liste(codes) -> str:
    return ". Codes : " + " ; ".join(f"{k} = {v}" for k, v in codes)


def _enum(codes: list[str]):
    def ajouter(schema: dict) -> None:
        for branche in schema.get("anyOf", [schema]):  # the string, not the null of an optional field
            if branche.get("type") == "string":
                branche["enum"] = codes

    return ajouter


def champ(field: forms.Field, name: str, default=None):
    """A JSON field documenting form field ``field``: its label, help text, and codes (a code list as an enum).
    A date's or a duration's help text speaks of the portal's input (« JJ/MM/AAAA »): the schema's type says it."""
    aide = "" if isinstance(field, (forms.DateField, DureeHebdoField)) else field.help_text
    description = " — ".join(str(t) for t in (field.label, aide, NOTES.get(name)) if t)
    codes = _codes(field)
    if codes:
        description += _liste(codes)
    return Field(default, description=description, json_schema_extra=_enum([k for k, _ in codes]) if codes else None)


class Section(Schema):
    model_config = ConfigDict(extra="forbid")


def section(nom: str, doc: str, fields: dict[str, forms.Field], **en_plus):
    champs = {name: (_type(f) | None, champ(f, name)) for name, f in fields.items()}
    return create_model(nom, __base__=Section, __doc__=doc, **champs, **en_plus)


def _champs(form_class, exclus=frozenset()) -> dict[str, forms.Field]:
    return {n: f for n, f in form_class.base_fields.items() if n != "version" and n not in exclus}


_TUTEURS = {n for n in SalarieForm.base_fields if n.startswith("tuteur")}

IntroductionSaisie = section("IntroductionSaisie", "L'onglet Introduction.", _champs(IntroductionForm))
SalarieSaisie = section(
    "SalarieSaisie",
    "L'onglet Salarié (CERFA S1–S20). Les attestations de l'employeur ne sont pas saisies par l'organisme.",
    _champs(SalarieForm, _TUTEURS | acces.ATTESTATIONS_EMPLOYEUR),
)
TuteurSaisie = section(
    "TuteurSaisie",
    "Un tuteur (CERFA T1–T8) : le premier de la liste est le tuteur 1, le second le tuteur 2 (sans "
    "`est_employeur` ni `autres_alternants`).",
    {name: SalarieForm.base_fields[f"tuteur1_{name}"] for name in TUTEUR_CHAMPS},
)
ContratSaisie = section("ContratSaisie", "L'onglet Contrat (CERFA C1–C14).", _champs(ContratForm, {"type_contrat"}))
AccordSaisie = section(
    "AccordSaisie",
    "L'onglet Accord d'une période de reconversion (REC_INT, REC_EXT, PROA_AVT) : l'accord écrit (L6324-3). "
    "L'entreprise d'accueil pour une reconversion externe seulement ; le CDI et la date de l'avenant pour une Pro-A "
    "seulement.",
    _champs(AccordForm),
)
ModuleSaisie = section(
    "ModuleSaisie",
    "Un module de formation (CERFA F1–F6).",
    {"type": TypeModuleForm.base_fields["type"], **_champs(ModuleForm)},
)
FormationSaisie = section(
    "FormationSaisie",
    "L'onglet Formation (CERFA F7–F16).",
    _champs(FormationForm),
    modules=(
        list[ModuleSaisie] | None,
        Field(
            None,
            description=(
                "La liste complète des modules, dans l'ordre : l'élément N met à jour le module N enregistré (les "
                "champs envoyés ; `type` requis pour un nouveau module ou pour en changer), les modules au-delà de "
                f"la liste sont supprimés. Au plus {MAX_MODULES}."
            ),
        ),
    ),
)

_TYPE_CONTRAT = ContratForm.base_fields["type_contrat"]


class _Sections(Section):
    introduction: IntroductionSaisie | None = None
    salarie: SalarieSaisie | None = None
    tuteurs: list[TuteurSaisie] | None = Field(
        None, max_length=len(Tuteur.Rang.values), description="Les tuteurs, dans l'ordre (au plus deux)"
    )
    contrat: ContratSaisie | None = Field(None, description="L'onglet Contrat (contrat de professionnalisation)")
    accord: AccordSaisie | None = Field(None, description="L'onglet Accord (période de reconversion)")
    formation: FormationSaisie | None = None


class CreationDossier(_Sections):
    """Un dossier pré-saisi : l'établissement et les choix de l'assistant « Nouvelle demande », puis les onglets."""

    siret: str = Field(description="SIRET (14 chiffres) de l'établissement adhérent d'AKTO, l'employeur")
    type_contrat: str | None = champ(_TYPE_CONTRAT, "type_contrat")
    sous_dispositif: str = Field(
        "CPRO",
        description=(
            "Code du sous-dispositif (CPRO, CPRO_PRODIAT, CPRO_HOPE… ; REC_INT, REC_EXT, PROA_AVT pour une "
            "période de reconversion, sans `type_contrat`)"
        ),
    )
    type_public: str = Field(
        "",
        description="Type de public, pour une entreprise de travail temporaire seulement" + _liste(TypePublic.choices),
        json_schema_extra={"enum": ["", *TypePublic.values]},
    )


class ModificationDossier(_Sections):
    """Une modification : les sections et champs envoyés seulement, les autres gardent leur valeur."""

    version: int = Field(description="La version du dossier lue (`version` de sa dernière réponse)")
    type_contrat: str | None = champ(_TYPE_CONTRAT, "type_contrat")


class Refus(Erreur):
    anomalies: list[AnomalieSchema] = Field(
        [],
        description=(
            "Les erreurs de format, sous le nom du champ de l'onglet (vide pour un refus qui ne porte sur aucun "
            "champ : une Idempotency-Key déjà utilisée pour une autre requête)"
        ),
    )


# -- binding the forms -----------------------------------------------------------------------------------------


def _valeur_enregistree(form, name):
    """What field ``name`` of the unbound ``form`` holds, as its bound form takes it back."""
    field = form.fields[name]
    if isinstance(field, forms.ModelChoiceField) and field.to_field_name:
        objet = getattr(form.instance, name, None)
        return getattr(objet, field.to_field_name) if objet is not None else ""
    value = form[name].value()
    if value is None:
        return False if isinstance(field, forms.BooleanField) else ""
    return value


def _donnee(field: forms.Field, value):
    """A JSON value as the form's field takes it (what its widget would post)."""
    if value is None:
        return False if isinstance(field, forms.BooleanField) else ""
    if isinstance(field, OuiNonField):
        return str(bool(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


class Saisie:
    """The forms of one write, bound and checked; ``anomalies`` empty: ``ecrire`` writes them all."""

    def __init__(self, dossier: Dossier, user, donnees: dict):
        self.dossier, self.user = dossier, user
        self.anomalies: list[dict] = []
        self.formulaires = []
        self.modules = None
        sections = {slug: dict(donnees.get(slug) or {}) for slug in ("introduction", "salarie", "contrat", "accord")}
        for rang, tuteur in enumerate(donnees.get("tuteurs") or [], 1):
            sections["salarie"].update({f"tuteur{rang}_{k}": v for k, v in tuteur.items()})
        if donnees.get("type_contrat") is not None:
            sections["contrat"]["type_contrat"] = donnees["type_contrat"]
        formation = dict(donnees.get("formation") or {})
        modules = formation.pop("modules", None)
        sections["formation"] = formation
        for slug, envoyes in sections.items():
            if envoyes:
                self._onglet(slug, envoyes)
        if modules is not None:
            if acces.peut_modifier(user, dossier, "formation"):
                self._modules(modules)
            else:
                self._erreur("formation", "modules", MSG_ONGLET)

    def _erreur(self, onglet, champ, message):
        self.anomalies.append(erreurs.anomalie(onglet, champ, message))

    def _onglet(self, slug: str, envoyes: dict):
        onglet = onglets.get(slug, self.dossier)
        if onglet is None:  # a section of another dispositif's tab
            self._erreur(slug, "", MSG_ONGLET_ABSENT)
            return
        if not acces.peut_modifier(self.user, self.dossier, slug):
            self._erreur(slug, "", MSG_ONGLET)
            return
        enregistre = vues.formulaire(onglet, self.dossier, self.user)
        data = {name: _valeur_enregistree(enregistre, name) for name in enregistre.fields}
        for name, value in envoyes.items():
            if name not in enregistre.fields:
                self._erreur(slug, name, erreurs.MSG_NON_APPLICABLE)
                continue
            data[name] = _donnee(enregistre.fields[name], value)
        data["version"] = self.dossier.version
        form = vues.formulaire(onglet, self.dossier, self.user, data)
        form.is_valid()
        # A field not sent keeps its stored value: only the errors of what was sent refuse the document.
        self._erreurs_du_formulaire(form, slug, envoyes, lambda name: name)
        self.formulaires.append(form)

    def _erreurs_du_formulaire(self, form, slug, envoyes, nom):
        for name, messages in form.errors.items():
            if name == "version" or (name != "__all__" and name not in envoyes):
                continue
            for message in messages:
                self._erreur(slug, "" if name == "__all__" else nom(name), message)

    def _modules(self, envoyes: list[dict]):
        if len(envoyes) > MAX_MODULES:
            self._erreur("formation", "modules", MSG_MODULES)
            return
        existants = self.dossier.formation.liste_modules
        # The organismes, read once: the stored modules' (loaded with the dossier) and those sent (one query).
        connus = {m.organisme.siret: m.organisme for m in existants if m.organisme is not None}
        sirets = {m["organisme"] for m in envoyes if isinstance(m.get("organisme"), str)} - set(connus)
        if sirets:
            connus |= {o.siret: o for o in OrganismeFormation.objects.filter(siret__in=sirets)}
        self.modules = []
        for numero, envoye in enumerate(envoyes, 1):
            envoye = dict(envoye)
            existant = existants[numero - 1] if numero <= len(existants) else None
            type_module = envoye.pop("type", None)
            if existant is None or type_module not in (None, existant.type):
                choix = TypeModuleForm({"module-type": type_module or ""}, prefix="module")
                if not choix.is_valid():
                    for message in choix.errors["type"]:
                        self._erreur("formation", f"module{numero}_type", message)
                    continue
                type_module, instance = choix.cleaned_data["type"], None
            else:
                type_module, instance = existant.type, existant
            enregistre = ModuleForm(instance=instance, type_module=type_module)
            data = {} if instance is None else {n: _valeur_enregistree(enregistre, n) for n in enregistre.fields}
            for name, value in envoye.items():
                if name not in enregistre.fields:
                    self._erreur("formation", f"module{numero}_{name}", erreurs.MSG_NON_APPLICABLE)
                    continue
                data[name] = _donnee(enregistre.fields[name], value)
            form = ModuleForm({f"module-{n}": v for n, v in data.items()}, instance=instance, type_module=type_module)
            if "organisme" in form.fields:
                form.fields["organisme"].connus = connus
            form.is_valid()
            self._erreurs_du_formulaire(form, "formation", envoye, lambda name, n=numero: f"module{n}_{name}")
            self.modules.append((numero, form))
        gardes = {form.instance.pk for _numero, form in self.modules if form.instance.pk}
        self.modules_supprimes = [m.pk for m in existants if m.pk not in gardes]

    def ecrire(self):
        """Write every form (their well-formed fields: here, all), then the modules: inside the lock's write."""
        for form in self.formulaires:
            form.save_valid()
        if self.modules is not None:
            self._ecrire_modules()

    def _ecrire_modules(self):
        if self.modules_supprimes:
            for module in ModuleFormation.objects.filter(pk__in=self.modules_supprimes):
                module.delete()  # one by one: each deletion has its history row
        nouveaux, modifies, champs = [], [], {"ordre"}
        for numero, form in self.modules:
            module = form.instance
            module.formation, module.ordre = self.dossier.formation, numero
            (modifies if module.pk else nouveaux).append(module)
            champs.update(n for n in form.cleaned_data if n in form._meta.fields)
        if nouveaux:
            bulk_create_with_history(nouveaux, ModuleFormation, default_user=self.user)
        if modifies:
            bulk_update_with_history(modifies, ModuleFormation, sorted(champs), default_user=self.user)


class Refuse(Exception):
    def __init__(self, anomalies):
        super().__init__("Saisie refusée")
        self.anomalies = anomalies


def _refus(request, anomalies):
    return api.create_response(request, erreurs.reponse(anomalies), status=422)


def _auteur(request: HttpRequest):
    """The key's author, whom the writes act as (its permissions, the history's author); 403 once detached."""
    user = request.cle_api.cree_par
    if not acces.gere_cles_api(user, request.auth):
        raise HttpError(403, MSG_AUTEUR)
    request.user = user  # the field history's author (simple-history reads the request's user)
    return user


def _charger(dossier_pk: int) -> Dossier:
    dossier = pour_les_regles(Dossier.objects.filter(pk=dossier_pk)).get()
    dossier.noter_indices()
    return dossier


# -- creation: the wizard's choices ---------------------------------------------------------------------------


def _choix_valide(etape: str, user, data: dict, valeur: str, onglet: str, champ_: str, anomalies, **kwargs):
    form = ChoixForm({"choix": valeur}, choices=assistant.choices(etape, user, data, **kwargs))
    if form.is_valid():
        return True
    anomalies.extend(erreurs.anomalie(onglet, champ_, m) for m in form.errors["choix"])
    return False


def _choix(user, donnees: CreationDossier):
    """The wizard's answers for ``donnees`` (establishment, sous-dispositif, type de contrat, public), checked
    as the wizard checks them; ``Refuse`` with the anomalies otherwise."""
    anomalies = []
    siret = donnees.siret.replace(" ", "")
    etablissement = None
    try:
        validate_siret(siret)
    except forms.ValidationError as error:
        anomalies.extend(erreurs.anomalie("employeur", "siret", m) for m in error.messages)
    else:
        trouve = Etablissement.objects.filter(siret=siret).values_list("pk", flat=True).first()
        data = {"etablissement": str(trouve)} if trouve else {}
        etablissement = assistant.etablissement_choisi(user, data) if trouve else None
        if etablissement is None:
            anomalies.append(erreurs.anomalie("employeur", "siret", MSG_ETABLISSEMENT))
    sous_dispositif = SousDispositif.objects.filter(code=donnees.sous_dispositif, ouvert=True).first()
    if etablissement is not None:
        data = {"etablissement": str(etablissement.pk)}
        if assistant.applies("public", user, data):
            if _choix_valide("public", user, data, donnees.type_public, "introduction", "type_public", anomalies):
                data["public"] = donnees.type_public
        offerts = {k for k, _ in assistant.choices("dispositif", user, data)}
        if sous_dispositif is None or str(sous_dispositif.dispositif_id) not in offerts:
            anomalies.append(erreurs.anomalie("introduction", "sous_dispositif", MSG_SOUS_DISPOSITIF))
    # The wizard's type de contrat step is some dispositifs' only (a période de reconversion has none).
    data = {"dispositif": str(sous_dispositif.dispositif_id)} if sous_dispositif else {}
    if assistant.applies("type_contrat", user, data):
        if not donnees.type_contrat:
            anomalies.append(erreurs.anomalie("contrat", "type_contrat", erreurs.MESSAGE_OBLIGATOIRE, obligatoire=True))
        else:
            _choix_valide("type_contrat", user, {}, donnees.type_contrat, "contrat", "type_contrat", anomalies)
    elif donnees.type_contrat:
        anomalies.append(erreurs.anomalie("contrat", "type_contrat", MSG_SANS_TYPE_CONTRAT))
    if anomalies:
        raise Refuse(anomalies)
    return etablissement, sous_dispositif


def _sections(donnees: Schema, *en_plus: str) -> dict:
    """What ``donnees`` sends for the tabs (only what it sends: a PATCH's merge)."""
    return donnees.model_dump(include={*_Sections.model_fields, *en_plus}, exclude_unset=True)


@api.post(
    "/dossiers",
    tags=[ETIQUETTE],
    response={201: DossierDetail, 401: Erreur, 403: Erreur, 422: Refus, 429: Erreur},
    summary="Créer un dossier pré-saisi",
    description=(
        "Crée un dossier pré-saisi par l'organisme (état « Brouillon prestataire ») pour un établissement adhérent "
        "d'AKTO, avec les données des onglets de son dispositif : Salarié (et ses tuteurs), Contrat (un contrat de "
        "professionnalisation) ou Accord (une période de reconversion) et Formation (et ses modules), "
        "vérifiées comme dans le portail : une erreur de format et rien n'est créé (422, `anomalies`). La réponse "
        "donne les anomalies restantes (saisies obligatoires, règles de gestion) et la `version` du dossier."
    ),
)
def creer_dossier(request, donnees: CreationDossier):
    user = _auteur(request)
    try:
        etablissement, sous_dispositif = _choix(user, donnees)
    except Refuse as refus:
        return _refus(request, refus.anomalies)
    sections = _sections(donnees)

    def completer(dossier):
        dossier = _charger(dossier.pk)
        saisie = Saisie(dossier, user, sections)
        if saisie.anomalies:
            raise Refuse(saisie.anomalies)
        if not services.ecrire_sous_verrou(dossier, dossier.version, saisie.ecrire):
            raise HttpError(409, MSG_PERIME.format(numero=dossier.numero))

    try:
        dossier = services.dossier_create(
            user=user,
            etablissement=etablissement,
            sous_dispositif=sous_dispositif,
            type_contrat=donnees.type_contrat or "",
            type_public=donnees.type_public,
            organisme=request.auth,
            completer=completer,
        )
    except Refuse as refus:
        return _refus(request, refus.anomalies)
    except services.EtablissementFerme as error:  # Sirene says so: the wizard refuses it too
        return _refus(request, [erreurs.anomalie("employeur", "siret", str(error))])
    except services.PermissionRefusee as error:
        raise HttpError(403, str(error)) from None
    return Status(201, detail(dossier_de(request, dossier.numero)))


@api.patch(
    "/dossiers/{numero}",
    tags=[ETIQUETTE],
    response={200: DossierDetail, 401: Erreur, 403: Erreur, 404: Erreur, 409: Erreur, 422: Refus, 429: Erreur},
    summary="Modifier un dossier pré-saisi",
    description=(
        "Modifie un dossier de l'organisme tant qu'il est en « Brouillon prestataire » (sinon 409) : seuls les "
        "champs envoyés changent, les autres gardent leur valeur. `version` est celle de la dernière lecture : "
        "si le dossier a changé depuis, rien n'est enregistré (409). Une erreur de format et rien n'est enregistré "
        "(422, `anomalies`)."
    ),
)
def modifier_dossier(request, numero: str, donnees: ModificationDossier):
    user = _auteur(request)
    dossier = dossier_de(request, numero)
    if not acces.peut_modifier(user, dossier):
        raise HttpError(409, MSG_NON_MODIFIABLE)
    if donnees.version != dossier.version:
        raise HttpError(409, MSG_PERIME.format(numero=numero))
    saisie = Saisie(dossier, user, _sections(donnees, "type_contrat"))
    if saisie.anomalies:
        return _refus(request, saisie.anomalies)
    if not services.ecrire_sous_verrou(dossier, donnees.version, saisie.ecrire):
        raise HttpError(409, MSG_PERIME.format(numero=numero))
    return detail(dossier_de(request, numero))
