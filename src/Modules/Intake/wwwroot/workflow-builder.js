// A condition's value: the drop-down of the answers the chosen result offers (a severity, a form's choices), or the
// typed value for a score or a free-text answer. Only the one shown is enabled, so only it is sent. A condition on the
// client ("@billing=insurance") is whole: it has no comparison and no value.
(function () {
  "use strict";
  document.querySelectorAll("[data-condition]").forEach(function (fieldset) {
    var on = fieldset.querySelector("[data-condition-on]");
    if (!on) return;
    var values = Array.prototype.slice.call(fieldset.querySelectorAll("[data-condition-value]"));
    var op = fieldset.querySelector("[data-condition-op]");
    function show() {
      var client = on.value.charAt(0) === "@";
      if (op) op.hidden = client;
      var match = client ? null : values.filter(function (v) { return v.getAttribute("data-condition-value") === on.value; })[0]
        || values.filter(function (v) { return v.getAttribute("data-condition-value") === ""; })[0];
      values.forEach(function (v) {
        var current = v === match;
        v.hidden = !current;
        v.querySelectorAll("input, select").forEach(function (control) { control.disabled = !current; });
      });
    }
    on.addEventListener("change", show);
  });
})();

// Drag to reorder in the workflow builder. It posts the same handlers as the Up/Down buttons (MoveStage, MoveTask)
// with the place dropped on; the buttons stay for keyboards and for browsers without script.
(function () {
  "use strict";
  var token = document.querySelector("input[name=__RequestVerificationToken]");
  var revision = document.querySelector("input[name=Revision]");
  if (!token || !revision) return;

  function post(handler, fields) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = window.location.pathname + "?handler=" + handler;
    fields.__RequestVerificationToken = token.value;
    fields.Revision = revision.value;
    Object.keys(fields).forEach(function (name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = String(fields[name]);
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  // items: the elements that can be dragged onto each other; onDrop(from, to) posts the move.
  function reorderable(items, onDrop) {
    var dragged = null;
    items.forEach(function (item) {
      var handle = item.querySelector(".drag-handle");
      if (!handle) return;
      handle.addEventListener("dragstart", function (event) {
        dragged = item;
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.getAttribute("data-index") || "");
        event.stopPropagation();
      });
      handle.addEventListener("dragend", function () { dragged = null; });
      item.addEventListener("dragover", function (event) {
        if (!dragged || dragged === item || items.indexOf(dragged) < 0) return;
        event.preventDefault();
        event.stopPropagation();
        item.classList.add("drag-over");
      });
      item.addEventListener("dragleave", function () { item.classList.remove("drag-over"); });
      item.addEventListener("drop", function (event) {
        item.classList.remove("drag-over");
        if (!dragged || dragged === item || items.indexOf(dragged) < 0) return;
        event.preventDefault();
        event.stopPropagation();
        onDrop(Number(dragged.getAttribute("data-index")), Number(item.getAttribute("data-index")));
      });
    });
  }

  var stages = document.querySelector("[data-reorder=stages]");
  if (stages) {
    var stageItems = Array.prototype.slice.call(stages.querySelectorAll(":scope > .stage"));
    reorderable(stageItems, function (from, to) { post("MoveStage", { stage: from, delta: 0, to: to }); });
  }
  document.querySelectorAll("[data-reorder=tasks]").forEach(function (list) {
    var stage = list.getAttribute("data-stage");
    var taskItems = Array.prototype.slice.call(list.querySelectorAll(":scope > .task-item"));
    reorderable(taskItems, function (from, to) { post("MoveTask", { stage: stage, task: from, delta: 0, to: to }); });
  });
})();
