// Forms module: the form builder works with plain form posts; this only tucks away the rules that do not apply
// to a question's answer type (a rule that holds a value or an error always stays visible).
(function () {
  "use strict";

  function update(question) {
    var select = question.querySelector("select[data-builder-type]");
    if (!select) return;
    question.querySelectorAll("[data-builder-for]").forEach(function (part) {
      var applies = part.getAttribute("data-builder-for").split(" ").indexOf(select.value) >= 0;
      var inUse = Array.prototype.some.call(part.querySelectorAll("input, textarea"), function (input) {
        return input.value.trim() !== "" || input.getAttribute("aria-invalid") === "true";
      });
      part.hidden = !applies && !inUse;
    });
  }

  document.querySelectorAll(".builder-field").forEach(function (question) {
    update(question);
    var select = question.querySelector("select[data-builder-type]");
    if (select) select.addEventListener("change", function () { update(question); });
  });
})();
