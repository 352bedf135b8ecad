// Dialogs answered by the server (e.g. "Générer le CERFA", "Transmettre"): open them as modals.
(function () {
  function openDialogs(root) {
    root.querySelectorAll("dialog[data-auto-open]").forEach(function (dialog) {
      if (!dialog.open) dialog.showModal();
    });
  }
  document.addEventListener("DOMContentLoaded", function () { openDialogs(document); });
  document.addEventListener("htmx:load", function (event) { openDialogs(event.target.parentElement || document); });
})();
