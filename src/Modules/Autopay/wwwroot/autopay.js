// Autopay card form. The card number and security code inputs have no name, so the browser never submits them to
// the portal: this script sends them straight to the payment processor's tokenization endpoint (the sandbox's, or a
// real processor's), puts the single-use token it gets back into the form, clears the card inputs, and only then
// submits the form. Nothing here logs or stores the card number.
(function () {
  "use strict";

  var form = document.getElementById("card-form");
  if (!form) return;

  var number = document.getElementById("card-number");
  var month = document.getElementById("card-exp-month");
  var year = document.getElementById("card-exp-year");
  var cvc = document.getElementById("card-cvc");
  var tokenInput = document.getElementById("card-token");
  var summary = document.getElementById("card-form-errors");
  var submit = document.getElementById("card-submit");
  var busy = false;
  // Every sentence this script shows comes from the page, in the reader's language (#autopay-texts).
  var texts = JSON.parse((document.getElementById("autopay-texts") || {}).textContent || "{}");
  function say(name) { return texts[name] || name; }

  // Group the digits as the cardholder types: "4242 4242 4242 4242".
  number.addEventListener("input", function () {
    var digits = number.value.replace(/\D/g, "").slice(0, 19);
    var grouped = digits.replace(/(\d{4})(?=\d)/g, "$1 ");
    if (grouped !== number.value) number.value = grouped;
  });
  cvc.addEventListener("input", function () {
    var digits = cvc.value.replace(/\D/g, "").slice(0, 4);
    if (digits !== cvc.value) cvc.value = digits;
  });

  function clearErrors() {
    summary.textContent = "";
    form.querySelectorAll("[data-error-for]").forEach(function (el) { el.textContent = ""; });
    [number, month, year, cvc].forEach(function (el) { el.removeAttribute("aria-invalid"); });
  }

  function showError(field, message) {
    var target = form.querySelector("[data-error-for~='" + field + "']");
    if (target) target.textContent = message;
    var input = { number: number, expMonth: month, expYear: year, cvc: cvc }[field];
    if (input) input.setAttribute("aria-invalid", "true");
    return input;
  }

  function check() {
    var problems = [];
    var digits = number.value.replace(/\D/g, "");
    if (digits.length < 12) problems.push(["number", say("number")]);
    if (!month.value) problems.push(["expMonth", say("expMonth")]);
    if (!year.value) problems.push(["expYear", say("expYear")]);
    if (!/^\d{3,4}$/.test(cvc.value)) problems.push(["cvc", say("cvc")]);
    var name = form.elements.namedItem("CardholderName");
    if (name && !name.value.trim()) problems.push([null, say("name")]);
    var postal = form.elements.namedItem("BillingPostalCode");
    if (postal && !postal.value.trim()) problems.push([null, say("postal")]);
    var agreed = form.querySelector("input[type=checkbox][name=AgreedToAuthorization]");
    if (agreed && !agreed.checked) problems.push([null, say("agree")]);
    return problems;
  }

  function report(problems) {
    var first = null;
    summary.textContent = problems.map(function (p) { return p[1]; }).join(" ");
    problems.forEach(function (p) {
      var input = p[0] ? showError(p[0], p[1]) : null;
      if (!first && input) first = input;
    });
    (first || number).focus();
  }

  function setBusy(value) {
    busy = value;
    submit.disabled = value;
    submit.setAttribute("aria-busy", value ? "true" : "false");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    clearErrors();
    var problems = check();
    if (problems.length) {
      report(problems);
      return;
    }

    setBusy(true);
    fetch(form.getAttribute("data-tokenize-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({
        number: number.value,
        expMonth: parseInt(month.value, 10),
        expYear: parseInt(year.value, 10),
        cvc: cvc.value
      })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { ok: response.ok, status: response.status, body: body };
      });
    }).then(function (result) {
      if (!result.ok || !result.body.token) {
        setBusy(false);
        var errors = (result.body && result.body.errors) || {};
        var list = Object.keys(errors).map(function (field) { return [field, errors[field][0]]; });
        if (!list.length) {
          list = [[null, result.status === 401 || result.status === 403
            ? say("signedOut")
            : say("notChecked")]];
        }
        report(list);
        return;
      }
      tokenInput.value = result.body.token;
      // The card number and security code never leave this page except to the processor.
      number.value = "";
      cvc.value = "";
      HTMLFormElement.prototype.submit.call(form);
    }).catch(function () {
      setBusy(false);
      report([[null, say("unreachable")]]);
    });
  });
})();
