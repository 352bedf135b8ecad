"""URLs of data entry: the wizard, the lists, the dossier page, its tabs and their own views (modules, pieces)."""

from django.urls import include, path

from dossiers.saisie import cgu, listes, recapitulatif, regles
from dossiers.saisie import vues as onglets
from dossiers.saisie.assistant import vues as wizard

urlpatterns = [
    path("", include("dossiers.saisie.onglets.documents.urls")),  # before the generic tab URL below
    path("nouvelle-demande/", wizard.start, name="nouvelle_demande_start"),
    path("nouvelle-demande/quitter/", wizard.quit, name="nouvelle_demande_quitter"),
    path("nouvelle-demande/<slug:slug>/", wizard.step, name="nouvelle_demande_step"),
    path("regles/", regles.liste_regles, name="regles"),
    path("conditions-generales/", cgu.conditions_generales, name="conditions_generales"),
    path("dossiers/", listes.liste, {"page": "dossiers"}, name="dossiers"),
    path("brouillons/", listes.liste, {"page": "brouillons"}, name="brouillons"),
    path("dossiers/<int:pk>/", onglets.dossier_detail, name="dossier_detail"),
    path("dossiers/<int:pk>/recapitulatif.pdf", recapitulatif.vue, name="dossier_recapitulatif"),
    path("dossiers/<int:pk>/transmettre/", onglets.transmettre, name="dossier_transmettre"),
    path("dossiers/<int:pk>/action/<slug:name>/", onglets.action, name="dossier_action"),
    path("dossiers/<int:pk>/formation/modules/", include("dossiers.saisie.onglets.formation.vues")),
    path("dossiers/<int:pk>/<slug:slug>/", onglets.onglet_view, name="dossier_onglet"),
    path("dossiers/<int:pk>/<slug:slug>/verifier/", onglets.verifier_champ, name="dossier_verifier"),
]
