// LKE workspace: closing a question panel opened on an area page. Opening is plain htmx
// (hx-get on the question's link); without JavaScript the link opens the question's own page.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-panel-close]");
    if (!button) {
      return;
    }
    var slot = button.closest(".ws-panel-slot");
    if (slot) {
      var link = slot.parentElement.querySelector(".ws-open");
      slot.innerHTML = "";
      if (link) {
        link.focus();
      }
    }
  });

  // Move focus into a panel once it has loaded, so keyboard users continue there.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.classList && target.classList.contains("ws-panel-slot")) {
      var panel = target.querySelector("[data-panel]");
      if (panel) {
        panel.setAttribute("tabindex", "-1");
        panel.focus({ preventScroll: false });
      }
    }
  });
})();
