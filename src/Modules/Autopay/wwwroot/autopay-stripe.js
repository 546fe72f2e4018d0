// Autopay card form in Stripe mode. The card is typed into Stripe's Payment Element (frames served by Stripe), and
// confirmed with Stripe as a SetupIntent for later off-session charges; this script then puts the SetupIntent's id
// into the form and submits only that, with the name, postal code and consent. The card never reaches the portal.
(function () {
  "use strict";

  var form = document.getElementById("card-form");
  if (!form || !form.hasAttribute("data-stripe-key")) return;

  var summary = document.getElementById("card-form-errors");
  var submit = document.getElementById("card-submit");
  var tokenInput = document.getElementById("card-token");
  var busy = false;
  // Every sentence this script shows comes from the page, in the reader's language (#autopay-texts).
  var texts = JSON.parse((document.getElementById("autopay-texts") || {}).textContent || "{}");
  function say(name) { return texts[name] || name; }

  function report(message) {
    summary.textContent = message;
  }

  function setBusy(value) {
    busy = value;
    submit.disabled = value;
    submit.setAttribute("aria-busy", value ? "true" : "false");
  }

  var clientSecret = form.getAttribute("data-client-secret");
  if (typeof window.Stripe !== "function" || !clientSecret) {
    report(say("formNotLoaded"));
    submit.disabled = true;
    return;
  }

  // Stripe's own fields and their messages speak the reader's language too.
  var stripe = window.Stripe(form.getAttribute("data-stripe-key"), { locale: form.getAttribute("data-stripe-locale") || "auto" });
  var elements = stripe.elements({ clientSecret: clientSecret });
  var payment = elements.create("payment");
  payment.mount("#payment-element");

  function check() {
    var problems = [];
    var name = form.elements.namedItem("CardholderName");
    if (name && !name.value.trim()) problems.push(say("name"));
    var postal = form.elements.namedItem("BillingPostalCode");
    if (postal && !postal.value.trim()) problems.push(say("postal"));
    var agreed = form.querySelector("input[type=checkbox][name=AgreedToAuthorization]");
    if (agreed && !agreed.checked) problems.push(say("agree"));
    return problems;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    report("");
    var problems = check();
    if (problems.length) {
      report(problems.join(" "));
      return;
    }
    setBusy(true);
    stripe.confirmSetup({
      elements: elements,
      redirect: "if_required",
      confirmParams: { return_url: window.location.href }
    }).then(function (result) {
      if (result.error || !result.setupIntent) {
        setBusy(false);
        report((result.error && result.error.message) || say("notConfirmed"));
        return;
      }
      tokenInput.value = result.setupIntent.id;
      HTMLFormElement.prototype.submit.call(form);
    }, function () {
      setBusy(false);
      report(say("unreachable"));
    });
  });
})();
