// Progressive enhancements shared by every page. Pages work without script; this only adds conveniences.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target instanceof HTMLElement && target.matches("[data-confirm]")) {
      if (!window.confirm(target.getAttribute("data-confirm") || "Are you sure?")) {
        event.preventDefault();
      }
    }
  });
})();
