/*
 * La barre d'onglets du dossier, au clavier (motif « tabs » de WAI-ARIA) : une seule tabulation pour entrer dans
 * la barre (l'onglet actif), puis ← et → passent à l'onglet voisin (en boucle), Début et Fin au premier et au
 * dernier ; Entrée ou Espace ouvre l'onglet qui a le focus (ce sont des liens : hx-get, ou la page sans JS).
 * Délégué sur le document : la barre remplacée par htmx (hx-swap-oob) reste servie.
 * Sur un téléphone la barre défile horizontalement (portal.css) : l'onglet actif y est ramené en vue, au chargement
 * et chaque fois que htmx remplace la barre (elle revient alors au début).
 */
(function () {
  "use strict";

  function onglets(liste) {
    return Array.from(liste.querySelectorAll('[role="tab"]'));
  }

  function montrerOngletActif() {
    document.querySelectorAll('[role="tablist"]').forEach(function (liste) {
      const actif = liste.querySelector('[role="tab"][aria-selected="true"]');
      if (!actif || liste.scrollWidth <= liste.clientWidth) return;
      const boite = liste.getBoundingClientRect();
      const onglet = actif.getBoundingClientRect();
      if (onglet.left >= boite.left && onglet.right <= boite.right) return;
      liste.scrollLeft += onglet.left - boite.left - (liste.clientWidth - onglet.width) / 2;
    });
  }

  document.addEventListener("DOMContentLoaded", montrerOngletActif);
  document.addEventListener("htmx:afterSettle", montrerOngletActif);

  document.addEventListener("keydown", function (event) {
    const courant = event.target.closest('[role="tablist"] [role="tab"]');
    if (!courant) return;
    const tous = onglets(courant.closest('[role="tablist"]'));
    const i = tous.indexOf(courant);
    let cible = null;
    if (event.key === "ArrowRight") cible = tous[(i + 1) % tous.length];
    else if (event.key === "ArrowLeft") cible = tous[(i - 1 + tous.length) % tous.length];
    else if (event.key === "Home") cible = tous[0];
    else if (event.key === "End") cible = tous[tous.length - 1];
    else if (event.key === " ") {
      event.preventDefault();
      courant.click();
      return;
    }
    if (!cible) return;
    event.preventDefault();
    tous.forEach(function (t) { t.setAttribute("tabindex", t === cible ? "0" : "-1"); });
    cible.focus();
  });
})();
