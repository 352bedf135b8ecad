/*
 * erreurs.js — une requête htmx qui échoue est dite à l'utilisateur, en français, dans <dialog id="erreur-requete">
 * (templates/base.html).
 *
 * Les réponses que les pages affichent elles-mêmes (400 erreurs de saisie, 409 version périmée ou dossier non
 * modifiable, 422 « Saisie invalide ») sont échangées par htmx (responseHandling, templates/base.html) et ne
 * passent pas ici. Les autres (4xx, 5xx), la perte du réseau et le délai dépassé (htmx.config.timeout) ne
 * remplacent rien : la saisie reste à l'écran, et ce dialogue dit ce qui s'est passé.
 */
(() => {
  "use strict";

  const NON_ENREGISTRE = "Votre saisie n'a pas été enregistrée ; elle reste affichée : vous pouvez réessayer.";
  const NON_CHARGE = "La page demandée n'a pas pu être affichée.";

  const TITRES = {
    serveur: "Erreur du serveur",
    reseau: "Connexion perdue",
    delai: "Délai dépassé",
    refus: "Action impossible",
    session: "Session expirée",
  };

  const CAUSES = {
    serveur: "Le serveur a rencontré une erreur.",
    reseau: "Le serveur est injoignable : vérifiez votre connexion internet.",
    delai: "Le serveur n'a pas répondu à temps.",
    401: "Votre session a expiré : reconnectez-vous dans un autre onglet du navigateur (page « Se connecter »), puis revenez ici.",
    403: "Cette action vous est refusée ; votre session a peut-être expiré : reconnectez-vous dans un autre onglet.",
    404: "L'élément demandé est introuvable : il a peut-être été supprimé, ou vous n'y avez plus accès.",
    413: "Les fichiers envoyés sont trop volumineux.",
    refus: "Le serveur a refusé la demande.",
  };

  const SUITE = "Réessayez dans quelques instants ; si le problème persiste, contactez AKTO.";

  const lecture = (detail) => {
    const verbe = (detail && detail.requestConfig && detail.requestConfig.verb) || "get";
    return verbe.toLowerCase() === "get";
  };

  const afficher = (genre, cause, detail) => {
    const dialog = document.getElementById("erreur-requete");
    if (!dialog) return;
    dialog.querySelector("[data-erreur-titre]").textContent = TITRES[genre];
    dialog.querySelector("[data-erreur-cause]").textContent = cause;
    dialog.querySelector("[data-erreur-suite]").textContent = `${lecture(detail) ? NON_CHARGE : NON_ENREGISTRE} ${SUITE}`;
    // Modal : au-dessus de tout autre dialogue ouvert (Transmettre, Saisie invalide…). Déjà ouvert (plusieurs
    // requêtes en échec à la suite, p. ex. la vérification du champ puis l'enregistrement) : le texte suffit.
    if (!dialog.open) dialog.showModal();
  };

  document.addEventListener("htmx:responseError", (event) => {
    const statut = event.detail.xhr ? event.detail.xhr.status : 0;
    if (statut >= 500) afficher("serveur", CAUSES.serveur, event.detail);
    else if (statut === 401) afficher("session", CAUSES[401], event.detail);
    else afficher("refus", CAUSES[statut] || CAUSES.refus, event.detail);
  });
  document.addEventListener("htmx:sendError", (event) => afficher("reseau", CAUSES.reseau, event.detail));
  document.addEventListener("htmx:timeout", (event) => afficher("delai", CAUSES.delai, event.detail));
})();
