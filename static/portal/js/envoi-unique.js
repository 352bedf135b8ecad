/*
 * envoi-unique.js — un formulaire ordinaire (sans htmx) envoyé une seule fois : <form method="post"
 * data-envoi-unique>. Au premier envoi ses boutons sont désactivés (aria-disabled, disabled) ; un second clic
 * ou une seconde touche Entrée pendant que la page suivante se charge n'envoie rien. Le serveur reste la
 * garantie (une décision répétée par la même personne répond son succès), ceci évite la seconde requête.
 *
 * Les boutons htmx, eux, portent hx-disabled-elt. La politique de sécurité du contenu interdit le code en
 * ligne, d'où ce fichier.
 */
(() => {
  "use strict";

  if (window.__envoiUniqueLoaded) return;
  window.__envoiUniqueLoaded = true;

  const boutons = (form) => form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-envoi-unique")) return;
    if (form.dataset.envoye === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.envoye = "true";
    // Disabled after the submission has taken the submitter's name and value (this very tick).
    window.setTimeout(() => {
      boutons(form).forEach((bouton) => {
        bouton.disabled = true;
        bouton.setAttribute("aria-disabled", "true");
      });
    }, 0);
  });

  // A page restored by Back (back-forward cache): its forms may be sent again.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-envoi-unique]").forEach((form) => {
      delete form.dataset.envoye;
      boutons(form).forEach((bouton) => {
        bouton.disabled = false;
        bouton.removeAttribute("aria-disabled");
      });
    });
  });
})();
