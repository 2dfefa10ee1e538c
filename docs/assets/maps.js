/* The /map/ page: with JavaScript, the period maps (each in a <details>) are chosen with a row of
   buttons, one map shown at a time. Without it the <details> work as they are. */
(function () {
  "use strict";
  function enhance(box) {
    if (box.dataset.enhanced) return;
    box.dataset.enhanced = "1";
    var views = Array.prototype.slice.call(box.querySelectorAll(":scope > .wiki-map-period"));
    if (views.length < 2) return;
    var bar = document.createElement("div");
    bar.className = "wiki-map-choose";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Period shown on the map");
    var buttons = views.map(function (view, i) {
      var button = document.createElement("button");
      button.type = "button";
      var summary = view.querySelector("summary");
      button.textContent = summary ? summary.textContent : "All years";
      button.addEventListener("click", function () { show(i); });
      bar.appendChild(button);
      return button;
    });
    function show(n) {
      views.forEach(function (view, i) {
        view.hidden = i !== n;
        if (view.tagName === "DETAILS") view.open = i === n;
        buttons[i].setAttribute("aria-pressed", i === n ? "true" : "false");
      });
    }
    box.classList.add("wiki-map-js");
    box.insertBefore(bar, box.firstChild);
    show(0);
  }
  function run() {
    document.querySelectorAll(".wiki-map-periods").forEach(enhance);
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(run);  // Material's instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
