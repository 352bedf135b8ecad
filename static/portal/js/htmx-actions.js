/*
 * htmx-actions.js — what the templates once wrote in hx-on attributes, as delegated listeners on `document`
 * (they survive htmx swaps). The Content-Security-Policy forbids inline code and eval, hence this file.
 *
 * À charger APRÈS htmx.
 *
 *  1. Choix dans une liste de recherche : <div data-lookup-choix data-url="…" data-choix-option="value"
 *     data-choix-param="code" data-choix-cible="#id" [data-choix-vider]>. Un clic sur un élément
 *     [data-<option>] de la liste demande GET url?<param>=<valeur> et remplace la cible (outerHTML) ;
 *     data-choix-vider vide la liste après le choix.
 *
 *  2. Barre de progression d'un chargement : <input type="file" data-upload-progress hx-post=…> dans un
 *     .doc-upload qui contient un <progress> (caché par .d-none jusqu'au premier envoi).
 */
(() => {
  "use strict";

  if (window.__htmxActionsLoaded) return;
  window.__htmxActionsLoaded = true;

  /* 1. Choix dans une liste de recherche */
  document.addEventListener("click", (event) => {
    if (!(event.target instanceof Element)) return;
    const liste = event.target.closest("[data-lookup-choix]");
    if (!liste) return;
    const cle = liste.dataset.choixOption;
    const attribut = "data-" + cle.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
    const option = event.target.closest("[" + attribut + "]");
    if (!option || !liste.contains(option)) return;
    const url = liste.dataset.url + "?" + encodeURIComponent(liste.dataset.choixParam) + "=" +
      encodeURIComponent(option.dataset[cle]);
    window.htmx.ajax("GET", url, { target: liste.dataset.choixCible, swap: "outerHTML" });
    if (liste.hasAttribute("data-choix-vider")) liste.innerHTML = "";
  });

  /* 2. Barre de progression d'un chargement */
  const progression = (event) => {
    const champ = event.target instanceof Element ? event.target.closest("[data-upload-progress]") : null;
    if (!champ) return null;
    const bloc = champ.closest(".doc-upload");
    return bloc ? bloc.querySelector("progress") : null;
  };

  document.addEventListener("htmx:beforeRequest", (event) => {
    const barre = progression(event);
    if (!barre) return;
    barre.value = 0;
    barre.classList.remove("d-none");
  });

  document.addEventListener("htmx:xhr:progress", (event) => {
    const barre = progression(event);
    if (!barre || !event.detail.lengthComputable) return;
    barre.value = Math.round((event.detail.loaded * 100) / event.detail.total);
  });
})();
