// Insurance plan forms: a search box that narrows the payer list, and the "other payer" name and the plan holder's
// details shown only when they apply. Without script every field is shown and the form works the same.
(function () {
  "use strict";

  function toggle(form) {
    var payer = form.querySelector("select.payer-select");
    var other = form.querySelector("[data-shown-when-payer='other']");
    if (payer && other) other.hidden = payer.value !== "other";
    var holder = form.querySelector("input[name='Form.Holder']:checked");
    var subscriber = form.querySelector("[data-shown-when-holder='other']");
    if (subscriber) subscriber.hidden = !holder || holder.value !== "other";
  }

  function setUpSearch(form) {
    var search = form.querySelector("input.payer-search");
    if (!search) return;
    var select = document.getElementById(search.getAttribute("data-payer-select"));
    if (!select) return;
    var all = Array.prototype.map.call(select.options, function (o) { return { value: o.value, text: o.text }; });
    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
      var selected = select.value;
      while (select.options.length > 0) select.remove(0);
      all.forEach(function (payer) {
        var keep = payer.value === "" || payer.value === "other" || payer.value === selected ||
          words.every(function (w) { return payer.text.toLowerCase().indexOf(w) >= 0 || payer.value.indexOf(w) >= 0; });
        if (keep) select.add(new Option(payer.text, payer.value, false, payer.value === selected));
      });
      var matches = Array.prototype.filter.call(select.options, function (o) { return o.value !== "" && o.value !== "other"; });
      if (!selected && words.length > 0 && matches.length === 1) select.value = matches[0].value;
      toggle(form);
    });
  }

  document.querySelectorAll("form.plan-form").forEach(function (form) {
    form.querySelectorAll(".js-only").forEach(function (el) { el.classList.remove("js-only"); });
    form.addEventListener("change", function () { toggle(form); });
    setUpSearch(form);
    toggle(form);
  });
})();
