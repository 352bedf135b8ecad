/*
 * autosave.js — l'enregistrement automatique d'un onglet (form[data-autosave], templates/dossiers/dossier.html).
 *
 * Un moment après la dernière frappe (DELAI) et dès qu'un champ est quitté (change), le formulaire est envoyé au
 * même point d'enregistrement que le bouton « Enregistrer », avec _auto=1 : le serveur écrit les champs bien
 * formés (fusion au champ, dossiers/saisie/fusion.py) et répond hors bande seulement — la ligne d'état
 * #statut-enregistrement (« Enregistré à 10 h 42 », « Non enregistré : … »), la version, les valeurs chargées,
 * les messages, les conflits, les puces. Les champs en cours de saisie ne sont jamais remplacés.
 *
 * La garde « modifications non enregistrées » (portal.js, data-dirty) ne reste levée que pour les champs en
 * attente d'envoi ou que le dernier enregistrement automatique n'a pas pu écrire (#autosave-non-enregistres).
 *
 * Conflit (« Modifié par ailleurs : … ») : « Garder ma saisie » retire l'avertissement (la saisie sera écrite),
 * « Reprendre la valeur enregistrée » remet la valeur enregistrée dans le champ.
 */
(() => {
  "use strict";

  const DELAI = 1500;
  const FORM = "form[data-autosave]";
  const IGNORE = new Set(["version", "_charge", "_attente", "csrfmiddlewaretoken"]);

  let minuteur = null;
  let enCours = false;
  let relance = false;
  const enAttente = new Set(); // champs modifiés pas encore envoyés
  let echoues = new Set(); // champs que le dernier envoi n'a pas écrits
  let autres = false; // une saisie hors des champs de l'onglet (un module de formation…) : la garde reste levée

  const dernieres = new Map(); // champ → valeur enregistrée (ou chargée) telle que le formulaire l'envoie

  const formulaire = () => document.querySelector(FORM);

  const valeurDe = (form, nom) => new FormData(form).getAll(nom).map(String).join("\u0001");

  const retenirValeurs = (form, noms) => { noms.forEach((n) => dernieres.set(n, valeurDe(form, n))); };

  const tousLesNoms = (form) =>
    new Set(Array.from(form.elements).filter((e) => e.hasAttribute("data-autosave")).map((e) => e.name));

  const majGarde = () => {
    const form = formulaire();
    if (!form) return;
    if (enAttente.size || echoues.size || enCours || autres) form.dataset.dirty = "true";
    else form.removeAttribute("data-dirty");
    // Pour qui observe (les tests du navigateur) : « attente » (frappe en cours ou envoi), « fait ».
    form.dataset.autosaveEtat = enAttente.size || enCours ? "attente" : "fait";
  };

  const statut = (texte) => {
    const el = document.getElementById("statut-enregistrement");
    if (el) { el.textContent = texte; el.classList.remove("text-danger"); }
  };

  const envoyer = () => {
    clearTimeout(minuteur);
    minuteur = null;
    const form = formulaire();
    if (!form || !enAttente.size) return;
    if (enCours) { relance = true; return; }
    enCours = true;
    const envoyes = new Set(enAttente);
    enAttente.clear();
    const avant = new Map(Array.from(envoyes, (n) => [n, dernieres.get(n)]));
    retenirValeurs(form, envoyes);
    statut("Enregistrement…");
    htmx.ajax("POST", form.getAttribute("action"), { source: form, values: { _auto: "1" }, swap: "none" })
      .then(lireEchoues)
      .catch(() => {
        envoyes.forEach((n) => { enAttente.add(n); dernieres.set(n, avant.get(n)); });
      })
      .finally(() => {
        enCours = false;
        majGarde();
        if (relance || enAttente.size) { relance = false; planifier(DELAI); }
      });
  };

  // Les champs que le serveur n'a pas écrits (format invalide, conflit), dits par la réponse hors bande.
  function lireEchoues() {
    const liste = document.getElementById("autosave-non-enregistres");
    echoues = new Set(((liste && liste.dataset.champs) || "").split(" ").filter(Boolean));
    majGarde();
  }
  document.addEventListener("htmx:oobAfterSwap", (event) => {
    if (event.detail.target && event.detail.target.id === "autosave-non-enregistres") lireEchoues();
  });

  const planifier = (delai) => {
    clearTimeout(minuteur);
    minuteur = setTimeout(envoyer, delai);
  };

  const champ = (event) => {
    const el = event.target;
    if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement)) {
      return null;
    }
    if (!el.form || !el.form.matches(FORM) || !el.name || IGNORE.has(el.name)) return null;
    if (el.closest("[data-dirty-ignore], [data-filter-target]")) return null;
    if (!el.hasAttribute("data-autosave")) { autres = true; return null; } // enregistré par son propre bouton
    return el;
  };

  // Modifié depuis le dernier envoi ? (Une valeur déjà enregistrée, ou revenue à celle-ci, n'est plus en attente.)
  const noter = (el, delai) => {
    if (valeurDe(el.form, el.name) === dernieres.get(el.name) && !echoues.has(el.name)) {
      enAttente.delete(el.name);
    } else {
      enAttente.add(el.name);
      planifier(delai);
    }
    majGarde();
  };
  document.addEventListener("input", (event) => {
    const el = champ(event);
    if (el) noter(el, DELAI);
  });
  document.addEventListener("change", (event) => {
    const el = champ(event);
    if (el) noter(el, 200); // champ quitté : tout de suite, après la vérification du champ
  });

  const initialiser = () => {
    const form = formulaire();
    formCourant = form;
    dernieres.clear();
    if (form) retenirValeurs(form, tousLesNoms(form));
  };
  document.addEventListener("DOMContentLoaded", initialiser);
  if (document.readyState !== "loading") initialiser();

  // Un onglet rechargé (Enregistrer, changement d'onglet) : l'état repart de ce que le serveur a rendu.
  let formCourant = null;
  document.addEventListener("htmx:afterSwap", () => {
    if (formulaire() !== formCourant) { // l'onglet a vraiment été remplacé (pas une réponse hors bande)
      enAttente.clear();
      echoues = new Set();
      autres = false;
      clearTimeout(minuteur);
      initialiser();
    }
  });

  // Quitter l'onglet malgré l'avertissement (confirmé dans portal.js, qui arrête le clic sinon) : ce qui attendait
  // son délai part tout de suite, rien de ce qui a été tapé n'est perdu.
  document.addEventListener("click", (event) => {
    const lien = event.target instanceof Element && event.target.closest("[data-leave-guard]");
    if (lien && enAttente.size && !enCours) envoyer();
  }, true);

  // Le choix devant un conflit.
  document.addEventListener("click", (event) => {
    const bouton = event.target instanceof Element && event.target.closest("[data-conflit-garder], [data-conflit-reprendre]");
    if (!bouton) return;
    const boite = bouton.closest("[data-conflit]");
    const form = formulaire();
    if (!boite || !form) return;
    const nom = boite.dataset.conflit;
    const champs = Array.from(form.elements).filter((e) => e.name === nom);
    if (bouton.hasAttribute("data-conflit-reprendre")) {
      const valeur = boite.dataset.valeurEnregistree || "";
      champs.forEach((e) => {
        if (e.type === "radio") e.checked = e.value === valeur;
        else if (e.type === "checkbox") e.checked = valeur !== "";
        else e.value = valeur;
      });
    }
    boite.remove();
    enAttente.add(nom);
    echoues.delete(nom);
    if (champs[0]) champs[0].focus();
    planifier(0);
  });
})();
