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
 *     Au clavier (motif « combobox » de WAI-ARIA) : le champ de recherche <input role="combobox"
 *     aria-controls="<id de la liste>"> ; ↓ et ↑ parcourent les résultats (aria-activedescendant,
 *     aria-selected), Entrée choisit le résultat actif (comme un clic), Échap referme la liste.
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

  /* 1 bis. La même liste au clavier (combobox) */
  const resultats = (liste) => Array.from(liste.querySelectorAll('[role="option"]'));
  const champDe = (liste) => liste.id ? document.querySelector('[role="combobox"][aria-controls="' + liste.id + '"]') : null;

  const activer = (champ, options, i) => {
    options.forEach((o, j) => {
      o.setAttribute("aria-selected", j === i ? "true" : "false");
      o.classList.toggle("active", j === i);
    });
    champ.setAttribute("aria-activedescendant", options[i].id);
    options[i].scrollIntoView({ block: "nearest" });
  };

  document.addEventListener("keydown", (event) => {
    const champ = event.target instanceof Element ? event.target.closest('[role="combobox"][aria-controls]') : null;
    if (!champ) return;
    const liste = document.getElementById(champ.getAttribute("aria-controls"));
    if (!liste || !liste.hasAttribute("data-lookup-choix")) return;
    const options = resultats(liste);
    const i = options.findIndex((o) => o.getAttribute("aria-selected") === "true");
    if (event.key === "Escape" && options.length) {
      event.preventDefault();
      liste.innerHTML = "";
      champ.setAttribute("aria-expanded", "false");
      champ.removeAttribute("aria-activedescendant");
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && options.length) {
      event.preventDefault();
      const n = options.length;
      activer(champ, options, event.key === "ArrowDown" ? (i + 1) % n : (i - 1 + n) % n);
    } else if (event.key === "Enter" && i >= 0) {
      event.preventDefault(); // never the form's submission: the choice of the active result
      champ.removeAttribute("aria-activedescendant");
      options[i].click();
    }
  });

  // New results: each option gets an id (for aria-activedescendant), the combobox says whether the list is open.
  document.addEventListener("htmx:afterSwap", (event) => {
    const liste = event.detail.target;
    if (!(liste instanceof Element) || !liste.hasAttribute("data-lookup-choix")) return;
    const champ = champDe(liste);
    const options = resultats(liste);
    options.forEach((o, j) => { o.id = liste.id + "-" + j; o.setAttribute("aria-selected", "false"); });
    if (champ) {
      champ.setAttribute("aria-expanded", options.length ? "true" : "false");
      champ.removeAttribute("aria-activedescendant");
    }
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
