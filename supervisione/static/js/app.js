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

  // htmx: send the CSRF token with every unsafe request.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("meta[name=csrf-token]");
    if (token) {
      event.detail.headers["X-CSRFToken"] = token.getAttribute("content");
    }
  });
})();
