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
    report("The card form could not be loaded from our payment processor. Please reload the page or try again later.");
    submit.disabled = true;
    return;
  }

  var stripe = window.Stripe(form.getAttribute("data-stripe-key"));
  var elements = stripe.elements({ clientSecret: clientSecret });
  var payment = elements.create("payment");
  payment.mount("#payment-element");

  function check() {
    var problems = [];
    var name = form.elements.namedItem("CardholderName");
    if (name && !name.value.trim()) problems.push("Enter the name on the card.");
    var postal = form.elements.namedItem("BillingPostalCode");
    if (postal && !postal.value.trim()) problems.push("Enter the billing postal code.");
    var agreed = form.querySelector("input[type=checkbox][name=AgreedToAuthorization]");
    if (agreed && !agreed.checked) problems.push("Please agree to the autopay authorization to save your card.");
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
        report((result.error && result.error.message) || "Your card could not be confirmed. Please try again.");
        return;
      }
      tokenInput.value = result.setupIntent.id;
      HTMLFormElement.prototype.submit.call(form);
    }, function () {
      setBusy(false);
      report("We couldn't reach the payment processor. Check your connection and try again.");
    });
  });
})();
