// Forms module: live conditions and draft saving on intake forms, the print button on signed copies.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target instanceof HTMLElement && target.hasAttribute("data-print")) window.print();
  });

  var form = document.querySelector("form[data-intake-form]");
  if (!form) return;
  var status = document.getElementById("draft-status");
  // What the status line says comes from the page, in the reader's language.
  function say(name, fallback) { return form.getAttribute("data-text-" + name) || fallback; }

  // The answers of one field, as the server reads them: all checked boxes, the checked radio, or the text.
  function valuesOf(key) {
    var inputs = form.querySelectorAll("[name='a." + key + "']");
    var values = [];
    inputs.forEach(function (input) {
      if (input.disabled) return;
      if ((input.type === "checkbox" || input.type === "radio") && !input.checked) return;
      if (input.value.trim() !== "") values.push(input.value.trim());
    });
    return values;
  }

  function matches(element, kept) {
    var field = element.getAttribute("data-show-field");
    if (!field) return true;
    var wanted = (element.getAttribute("data-show-value") || "").toLowerCase();
    var values = kept[field] || [];
    return values.some(function (v) { return v.toLowerCase() === wanted; });
  }

  function setShown(element, shown) {
    element.hidden = !shown;
    element.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = !shown; });
  }

  // Same walk as the server: in order, a hidden section or field counts as unanswered for later conditions.
  function applyConditions() {
    var kept = {};
    form.querySelectorAll("[data-section]").forEach(function (section) {
      var sectionShown = matches(section, kept);
      setShown(section, sectionShown);
      section.querySelectorAll("[data-field]").forEach(function (wrapper) {
        var shown = sectionShown && matches(wrapper, kept);
        setShown(wrapper, shown);
        if (shown) kept[wrapper.getAttribute("data-field")] = valuesOf(wrapper.getAttribute("data-field"));
      });
    });
    return kept;
  }

  // The server's messages by field ("answers.payer"), each next to its field; an empty set clears them.
  function showErrors(errors) {
    form.querySelectorAll("[data-field]").forEach(function (wrapper) {
      var message = wrapper.querySelector("[data-field-error]");
      if (!message) return;
      var wrong = errors["answers." + wrapper.getAttribute("data-field")];
      message.textContent = wrong ? wrong.join(" ") : "";
      message.hidden = !wrong;
    });
  }

  var timer = null;
  function saveDraft() {
    var answers = {};
    form.querySelectorAll("[data-field]").forEach(function (wrapper) {
      var key = wrapper.getAttribute("data-field");
      var values = valuesOf(key);
      if (values.length) answers[key] = wrapper.hasAttribute("data-multiple") ? values : values[0];
    });
    fetch(form.getAttribute("data-draft-url"), {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ version: Number(form.getAttribute("data-version")), answers: answers })
    }).then(function (response) {
      if (response.status === 400) {
        return response.json().then(function (problem) {
          showErrors(problem.errors || {});
          if (status) status.textContent = say("check", "Your draft was not saved: please check the answers marked.");
        });
      }
      if (response.ok) showErrors({});
      if (status) status.textContent = response.ok ? say("saved", "Draft saved.") : say("failed", "Your draft could not be saved.");
    }).catch(function () {
      if (status) status.textContent = say("failed", "Your draft could not be saved.");
    });
  }

  function changed() {
    applyConditions();
    if (timer) clearTimeout(timer);
    timer = setTimeout(saveDraft, 800);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  applyConditions();
})();
