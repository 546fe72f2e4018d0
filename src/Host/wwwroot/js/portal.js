// Progressive enhancements shared by every page. Pages work without script; this only adds conveniences.
(function () {
  "use strict";
  // Forms that tell times (a sign-in lock's end) send the browser's time zone; without script the server says UTC.
  document.querySelectorAll("input[data-browser-time-zone]").forEach(function (input) {
    try {
      input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      input.value = "";
    }
  });
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target instanceof HTMLElement && target.matches("[data-confirm]")) {
      if (!window.confirm(target.getAttribute("data-confirm") || "Are you sure?")) {
        event.preventDefault();
      }
    }
  });
})();
