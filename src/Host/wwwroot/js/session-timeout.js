// The idle warning (see Pages/Shared/_SessionTimeout.cshtml). The server decides when a session ends; this script
// only asks it (GET of the status, which does not count as activity), warns before the deadline, extends the session
// when the person says so, and once the server has ended the session goes to the sign-in page, which says why.
(function () {
  "use strict";
  var dialog = document.getElementById("session-timeout");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) return;

  var warningSeconds = Number(dialog.getAttribute("data-warning-seconds")) || 60;
  var statusUrl = dialog.getAttribute("data-status-url");
  var signInUrl = dialog.getAttribute("data-signin-url");
  var form = dialog.querySelector("form");
  var countdown = dialog.querySelector("[data-session-countdown]");
  var timer = 0;
  var ticker = 0;
  var deadline = 0;

  // The countdown's words come from the page, in the reader's language: "{0}" is the number.
  function said(name, count) {
    return (countdown.getAttribute("data-text-" + name) || "{0}").replace("{0}", String(count));
  }

  function words(seconds) {
    if (seconds >= 120) return said("minutes", Math.ceil(seconds / 60));
    if (seconds >= 60) return said("minute", 1);
    return seconds === 1 ? said("second", 1) : said("seconds", seconds);
  }

  function tick() {
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    if (countdown) countdown.textContent = words(left);
  }

  function open() {
    tick();
    if (!dialog.open) dialog.showModal();
    if (!ticker) ticker = window.setInterval(tick, 1000);
  }

  function close() {
    if (dialog.open) dialog.close();
    window.clearInterval(ticker);
    ticker = 0;
  }

  // Until the warning: wait. Within it: show the dialog and ask again just after the deadline.
  function schedule(secondsLeft) {
    window.clearTimeout(timer);
    deadline = Date.now() + secondsLeft * 1000;
    if (secondsLeft > warningSeconds) {
      close();
      timer = window.setTimeout(check, (secondsLeft - warningSeconds) * 1000);
    } else {
      open();
      timer = window.setTimeout(check, (secondsLeft + 1) * 1000);
    }
  }

  function signedOut() {
    window.clearTimeout(timer);
    window.location.assign(signInUrl);
  }

  function answer(response) {
    if (response.status === 401) return signedOut();
    if (!response.ok) throw new Error("session status " + response.status);
    return response.json().then(function (status) { schedule(status.secondsLeft); });
  }

  // Another tab may have kept the session alive, so the server's answer wins over this page's timer.
  function check() {
    window.fetch(statusUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(answer)
      .catch(function () { timer = window.setTimeout(check, 5000); });
  }

  function staySignedIn() {
    window.fetch(form.action, {
      method: "POST", credentials: "same-origin", body: new FormData(form), headers: { Accept: "application/json" }
    }).then(answer).catch(check);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    staySignedIn();
  });
  // Escape is an answer too: the person is there.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    staySignedIn();
  });
  // Timers sleep in background tabs: ask again when the page is seen.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") check();
  });

  schedule(Number(dialog.getAttribute("data-seconds-left")) || 0);
})();
