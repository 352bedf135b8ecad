// Conditional fields: a wrapper [data-condition="question"][data-open-on="True|False"] is enabled only when
// the question's radio answer opens it (or, with data-open-without-answer, while unanswered); otherwise its
// inputs are disabled (greyed, not sent: the server clears them).
(function () {
  function apply(form) {
    form.querySelectorAll("[data-condition]").forEach(function (wrapper) {
      var checked = form.querySelector('input[name="' + wrapper.dataset.condition + '"]:checked');
      var answer = checked ? checked.value : "";
      var open = answer === wrapper.dataset.openOn || (answer === "" && wrapper.hasAttribute("data-open-without-answer"));
      wrapper.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = !open; });
      wrapper.classList.toggle("field-closed", !open);
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.form) apply(event.target.form);
  });
  htmx.onLoad(function (root) {
    (root.matches && root.matches("form") ? [root] : root.querySelectorAll("form")).forEach(apply);
  });
})();
