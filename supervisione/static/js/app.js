// Small behaviours shared by every page. No inline scripts anywhere (Content-Security-Policy).
(function () {
  "use strict";

  // Buttons and links with data-confirm ask before acting.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // A form sent back with errors: move the focus to its summary, so that screen readers read it first
  // and keyboard users start from the list of links to the fields to fix.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }

  // A table wider than the screen scrolls inside its box: the box then takes the keyboard focus, so that it
  // can be scrolled with the arrow keys, and is named after the table's caption (WCAG 2.1.1).
  function reachScrollingTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth;
      if (scrolls && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tabella");
        box.setAttribute("data-scroll-box", "");
      } else if (!scrolls && box.hasAttribute("data-scroll-box")) {
        ["tabindex", "role", "aria-label", "data-scroll-box"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }
  reachScrollingTables();
  window.addEventListener("resize", reachScrollingTables);
  document.body.addEventListener("htmx:afterSettle", reachScrollingTables);

  // htmx: send the CSRF token with every unsafe request.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("meta[name=csrf-token]");
    if (token) {
      event.detail.headers["X-CSRFToken"] = token.getAttribute("content");
    }
  });
})();
