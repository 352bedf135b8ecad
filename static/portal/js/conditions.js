// Conditional fields: a wrapper [data-condition="question"][data-open-on="value"] is enabled only when the
// question's answer opens it (or, with data-open-without-answer, while unanswered); otherwise its inputs
// are disabled (greyed, not sent: the server clears them). The question is a radio group (the answer is the
// checked radio's value), a <select> or any other input (its current value; a checkbox's value when checked).
// A read-only form ([data-lecture-seule]: the server disabled every field) is left as it is.
(function () {
  function answer(form, name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) return input.value;
      } else if (input.type !== "hidden" || inputs.length === 1) {
        return input.value || "";
      }
    }
    return "";
  }
  function apply(form) {
    if (form.hasAttribute("data-lecture-seule")) return;
    form.querySelectorAll("[data-condition]").forEach(function (wrapper) {
      var value = answer(form, wrapper.dataset.condition);
      var open = value === wrapper.dataset.openOn || (value === "" && wrapper.hasAttribute("data-open-without-answer"));
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
