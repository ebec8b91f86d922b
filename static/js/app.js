// Small progressive enhancements that htmx cannot do. No inline scripts: CSP forbids them.
(function () {
  "use strict";

  // Sign-up and account forms: preselect the browser's time zone when the field is untouched.
  function fillTimeZone(root) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    root.querySelectorAll("select[data-detect-time-zone]").forEach(function (select) {
      if (select.dataset.touched || !zone) return;
      if (select.value === "UTC" && select.querySelector('option[value="' + zone + '"]')) {
        select.value = zone;
      }
    });
  }

  // Copy buttons: <button data-copy="#id"> copies the target's value or text.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const target = document.querySelector(button.dataset.copy);
    if (!target) return;
    const text = target.value || target.textContent.trim();
    navigator.clipboard.writeText(text).then(function () {
      button.dataset.label = button.dataset.label || button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = button.dataset.label; }, 2000);
    }, function () {
      target.select && target.select();
    });
  });

  // An htmx request that failed: htmx swaps no error answer into the page, so say it where it can be seen
  // (the form keeps what was typed, and a win sent twice is stored once).
  const PROBLEMS = {
    403: "Your session may have ended: reload the page and try again.",
    404: "That is no longer there: reload the page.",
    429: "That was a lot at once: wait a moment and try again.",
    503: "We could not reach our database for a moment. Nothing was lost: try again shortly.",
  };
  function sayProblem(text) {
    const box = document.getElementById("request-problem");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
  }
  document.addEventListener("htmx:responseError", function (event) {
    const status = event.detail.xhr.status;
    sayProblem(PROBLEMS[status] || "That did not work (error " + status + "): try again, or reload the page.");
  });
  document.addEventListener("htmx:sendError", function (event) {
    if (event.detail.elt.matches("form[data-outbox]")) return;  // offline.js keeps that win, and says so
    sayProblem("No connection: nothing was sent. Try again when you are back online.");
  });
  document.addEventListener("htmx:beforeRequest", function () {
    const box = document.getElementById("request-problem");
    if (box) box.hidden = true;
  });

  document.addEventListener("DOMContentLoaded", function () { fillTimeZone(document); });
  document.addEventListener("htmx:load", function (event) { fillTimeZone(event.target); });
})();
