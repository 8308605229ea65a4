// ZI Portal behaviour. Loaded as a static file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  // Forms with data-confirm ask before a destructive or recorded action.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  }, true);
})();
