/* Footnotes in place on touch screens. Material's footnote tooltips
   (content.footnote.tooltips) show a footnote's quote when its marker is hovered
   or focused, which a mouse and a keyboard reach; a tap, though, follows the link
   to the footnote at the end of the page. Here the first tap on a marker only
   focuses it (so the quote shows in place) and a second tap follows the link.
   Without JavaScript the marker is the ordinary link to the footnote. */
(function () {
  "use strict";
  var touch = false;
  document.addEventListener("pointerdown", function (e) { touch = e.pointerType === "touch"; }, true);
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.footnote-ref");
    if (!a || !touch || e.ctrlKey || e.metaKey) { return; }
    if (document.activeElement !== a || !a.hasAttribute("aria-controls")) {
      e.preventDefault();
      a.focus();
    }
  }, true);
}());
