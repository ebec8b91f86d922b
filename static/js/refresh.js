// The dashboard refreshes its live part every N seconds, only while the tab is visible (htmx can't filter without eval).
(function () {
  "use strict";
  function tick() {
    if (document.visibilityState !== "visible") return;
    document.querySelectorAll("[data-refresh-every]").forEach(function (el) {
      const every = Number(el.dataset.refreshEvery) * 1000;
      const last = Number(el.dataset.refreshedAt || Date.now());
      if (!el.dataset.refreshedAt) el.dataset.refreshedAt = String(last);
      if (Date.now() - last >= every) {
        el.dataset.refreshedAt = String(Date.now());
        htmx.trigger(el, "refresh");
      }
    });
  }
  setInterval(tick, 1000);
  // Back on the tab after a while: refresh at once rather than showing stale numbers.
  document.addEventListener("visibilitychange", tick);
})();
