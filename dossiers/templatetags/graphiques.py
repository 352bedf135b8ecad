"""The back office's charts, drawn on the server as SVG (no script, no CDN): ``{% graphique_barres figure %}``.

A figure of ``dossiers/instruction/tableau.py`` becomes horizontal bars: its label, the bar (one segment per
count, stacked), its numbers in words after it. A bar of one segment is a single link (label, bar and numbers:
a large target named by its text); a bar of several has a link per segment. Every link has its accessible name.
"""

from django import template

register = template.Library()

LARGEUR = 680  # the viewBox; the SVG scales down to its column
LIBELLES = 260  # the labels' column
BARRES = 200  # the longest bar; then the numbers
LIGNE = 30
EPAISSEUR = 20


@register.inclusion_tag("admin/graphique_barres.html")
def graphique_barres(figure):
    plus_grand = max((ligne.total for ligne in figure.lignes), default=0) or 1
    lignes = []
    for i, ligne in enumerate(figure.lignes):
        y = i * LIGNE
        x, segments = LIBELLES, []
        for segment in ligne.segments:
            largeur = round(segment.valeur * BARRES / plus_grand, 1)
            if segment.valeur and largeur < 2:
                largeur = 2  # a count of one among thousands stays visible
            segments.append({"segment": segment, "x": x, "largeur": largeur})
            x += largeur
        lignes.append(
            {
                "ligne": ligne,
                "y": y,
                "y_barre": y + (LIGNE - EPAISSEUR) / 2,
                "y_texte": y + LIGNE / 2 + 5,
                "x_texte": x + 8,
                "segments": segments,
                "lien": ligne.segments[0] if len(ligne.segments) == 1 and ligne.segments[0].url else None,
            }
        )
    return {
        "figure": figure,
        "lignes": lignes,
        "largeur": LARGEUR,
        "hauteur": max(len(lignes), 1) * LIGNE,
        "x_libelle": LIBELLES - 10,
        "epaisseur": EPAISSEUR,
        "hauteur_ligne": LIGNE,
    }
