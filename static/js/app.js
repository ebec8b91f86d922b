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

  document.addEventListener("DOMContentLoaded", function () { fillTimeZone(document); });
  document.addEventListener("htmx:load", function (event) { fillTimeZone(event.target); });
})();
