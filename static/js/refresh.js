// The dashboard refreshes its live part every N seconds, only while the tab is visible (htmx can't filter without eval).
// It waits while focus is inside the part (a keyboard user would lose their place) or a field in it holds
// something typed, and refreshes as soon as neither holds.
(function () {
  "use strict";
  function busy(el) {
    if (el.contains(document.activeElement) && document.activeElement !== document.body) return true;
    return Array.prototype.some.call(el.querySelectorAll("input, textarea, select"), function (field) {
      if (field.type === "hidden") return false;
      if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
      if (field.tagName === "SELECT") {
        return Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; });
      }
      return field.value !== field.defaultValue;
    });
  }
  function tick() {
    if (document.visibilityState !== "visible") return;
    document.querySelectorAll("[data-refresh-every]").forEach(function (el) {
      const every = Number(el.dataset.refreshEvery) * 1000;
      const last = Number(el.dataset.refreshedAt || Date.now());
      if (!el.dataset.refreshedAt) el.dataset.refreshedAt = String(last);
      if (Date.now() - last < every) return;
      if (busy(el)) {
        el.dataset.refreshPaused = "true";  // due, and waiting: the swap brings a fresh element without it
        return;
      }
      el.dataset.refreshedAt = String(Date.now());
      htmx.trigger(el, "refresh");
    });
  }
  setInterval(tick, 1000);
  // Back on the tab after a while: refresh at once rather than showing stale numbers.
  document.addEventListener("visibilitychange", tick);
})();
