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

  // htmx updates (docs/accessibility.md): announce what changed through the page's live region,
  // and when the swap removed the focused control, put focus inside the new content so keyboard
  // users keep their place.
  function announce(text) {
    var region = document.getElementById("status-live");
    if (!region || !text) {
      return;
    }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (source && /every/.test(source.getAttribute("hx-trigger") || "")) {
      return;  // polling (report jobs) is not something the person did
    }
    var target = event.detail.target;
    var content = target && target.isConnected ? target : document.getElementById("konten");
    var region = document.getElementById("status-live");
    var alerts = content ? content.querySelectorAll(".alert, [role=alert], [data-announce]") : [];
    var texts = Array.prototype.map.call(alerts, function (el) { return el.textContent.trim(); });
    announce(texts.filter(Boolean).join(" ") || (region && region.getAttribute("data-updated-text")));
    if (content && (document.activeElement === document.body || !document.activeElement)) {
      var focusable = content.querySelector("input:not([type=hidden]), select, textarea, button, a[href]");
      if (focusable) {
        focusable.focus();
      }
    }
  });

  document.addEventListener("htmx:responseError", function () {
    var region = document.getElementById("status-live");
    announce(region && region.getAttribute("data-error-text"));
  });
})();
