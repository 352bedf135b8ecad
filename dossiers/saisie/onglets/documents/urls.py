"""URLs of a dossier's pieces (the Documents tab itself is served by the dossiers' generic tab view)."""

from django.urls import path

from dossiers.saisie.onglets.documents import vues as views

urlpatterns = [
    path("dossiers/<int:pk>/cerfa.pdf", views.cerfa, name="dossier_cerfa"),
    path("dossiers/<int:pk>/cerfa/preparer/", views.cerfa_preparer, name="dossier_cerfa_preparer"),
    path("dossiers/<int:pk>/documents/pieces/", views.bloc, name="documents_bloc"),
    path("dossiers/<int:pk>/documents/pieces/<slug:code>/deposer/", views.deposer, name="documents_deposer"),
    path("dossiers/<int:pk>/documents/pieces/<int:piece_pk>/supprimer/", views.supprimer, name="documents_supprimer"),
    path(
        "dossiers/<int:pk>/documents/pieces/<int:piece_pk>/telecharger/",
        views.telecharger,
        name="documents_telecharger",
    ),
]
