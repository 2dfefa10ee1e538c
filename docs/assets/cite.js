/* Sahel Conflict Wiki: a "Copy" button under each citation of a "Cite this" box
   (macros/render/anchors.py). The boxes read and select without this script. */
(function () {
  "use strict";

  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text, done); });
    } else {
      fallback(text, done);
    }
  }

  /* http:// and file:// pages have no clipboard API: copy through a hidden text area. */
  function fallback(text, done) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    if (ok) { done(); }
  }

  function enhance(root) {
    root.querySelectorAll("details.wiki-cite code").forEach(function (code) {
      if (code.nextElementSibling && code.nextElementSibling.classList.contains("wiki-cite-copy")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "wiki-cite-copy";
      button.textContent = "Copy";
      button.addEventListener("click", function () {
        copyText(code.textContent, function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 2000);
        });
      });
      code.insertAdjacentElement("afterend", button);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
})();
