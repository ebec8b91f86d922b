// Today's post box.
(function () {
  "use strict";

  // What the last post did ("Posted ✓ +5 · Undo", or "… for Tuesday 1 December") stays at the box until the
  // person begins the next win: then it goes, so that it is never read as being about the next one.
  document.addEventListener("input", function (event) {
    if (event.target.name !== "text" || !event.target.closest("#post-box")) return;
    const note = document.getElementById("post-note");
    if (note && note.firstChild) note.replaceChildren();
  });

  // On a phone the kinds are one row that scrolls sideways: the kind reached with the arrow keys comes into view
  // whole (the browser's own scroll stops at the hidden radio button, and before the chosen chip turns bold).
  function showChip(event) {
    const chip = event.target.closest("#post-box .chips label");
    if (chip) chip.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
  document.addEventListener("focusin", showChip);
  document.addEventListener("change", showChip);
})();
