// Character counters (issue 20): under every text input or textarea with a maxlength, « 12 / 50 caractères ».
// Nothing is cut silently: the maxlength attribute moves to data-maxlength (the browser would truncate a paste
// without a word), the typed or pasted text stays on screen, and over the limit the counter says
// « 50 caractères maximum : 3 caractères en trop » (the server refuses the same text with its own message).
// A newline counts one character, as on the server (dossiers/saisie/champs.py TexteField reads CRLF as LF).
// The counter speaks (aria-live polite) only near or over the limit, so that typing is not read aloud.
(function () {
  var TYPES = ["text", "email", "search", "tel", "url", ""];
  var PROCHE = 0.9;

  function longueur(field) {
    return field.value.replace(/\r\n/g, "\n").length;
  }

  function actualiser(field) {
    var counter = document.getElementById(field.dataset.compteur);
    if (!counter) return;
    var max = parseInt(field.dataset.maxlength, 10);
    var n = longueur(field);
    var over = n > max;
    counter.textContent = over
      ? max + " caractères maximum : " + (n - max) + (n - max > 1 ? " caractères en trop" : " caractère en trop")
      : n + " / " + max + " caractères";
    counter.classList.toggle("char-counter--over", over);
    counter.classList.toggle("text-danger", over);
    if (over || n >= max * PROCHE) {
      counter.setAttribute("aria-live", "polite");
    } else {
      counter.removeAttribute("aria-live");
    }
    field.toggleAttribute("data-trop-long", over);
  }

  function equiper(field) {
    if (field.dataset.compteur || field.readOnly) return;
    if (field.tagName === "INPUT" && TYPES.indexOf(field.getAttribute("type") || "") === -1) return;
    var max = parseInt(field.getAttribute("maxlength"), 10);
    if (!(max > 0)) return;
    var id = (field.id || field.name) + "-compteur";
    field.dataset.maxlength = String(max);
    field.dataset.compteur = id;
    field.removeAttribute("maxlength");
    var counter = document.getElementById(id); // the input alone was swapped: its counter stays
    if (!counter) {
      counter = document.createElement("div");
      counter.id = id;
      counter.className = "form-text char-counter";
      (field.closest(".input-group") || field).insertAdjacentElement("afterend", counter);
    }
    var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf(id) === -1) described.push(id);
    field.setAttribute("aria-describedby", described.join(" "));
    actualiser(field);
  }

  document.addEventListener("input", function (event) {
    if (event.target.dataset && event.target.dataset.compteur) actualiser(event.target);
  });
  htmx.onLoad(function (root) {
    var fields = root.querySelectorAll ? root.querySelectorAll("input[maxlength], textarea[maxlength]") : [];
    Array.prototype.forEach.call(fields, equiper);
    if (root.matches && root.matches("input[maxlength], textarea[maxlength]")) equiper(root);
  });
})();
