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
        // Back on the question's link, wholly in view (focus() alone leaves a half-hidden link).
        // Scrolled after the layout has settled: a smooth scroll started at once is cut short.
        link.focus({ preventScroll: true });
        window.requestAnimationFrame(function () {
          link.scrollIntoView({ block: "nearest", behavior: "instant" });
        });
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

  // Keep an area page's row true after its panel changed something (an answer, a submission, a
  // comment, an upload): fetch the row's facts again. The form that sent the request is often
  // replaced by the answer, so the row is remembered when the request starts.
  var rowOfRequest = new WeakMap();

  function rowOf(element) {
    return element && element.closest ? element.closest("li.ws-question[data-row-url]") : null;
  }

  function refreshRow(row) {
    if (!row || !window.htmx) {
      return;
    }
    var facts = row.querySelector(".ws-facts");
    if (!facts) {
      return;
    }
    window.htmx.ajax("GET", row.getAttribute("data-row-url"), { target: facts, swap: "outerHTML" }).then(function () {
      var fresh = row.querySelector(".ws-facts");
      if (fresh) {
        row.classList.toggle("is-differs", fresh.getAttribute("data-differs") === "1");
        row.classList.toggle("is-returned", fresh.getAttribute("data-returned") === "1");
      }
    });
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var config = event.detail.requestConfig;
    if (config && config.verb !== "get") {
      var row = rowOf(event.detail.elt);
      if (row) {
        rowOfRequest.set(event.detail.xhr, row);
      }
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var row = rowOfRequest.get(event.detail.xhr);
    if (row && event.detail.successful) {
      refreshRow(row);
    }
  });

  // Sent by the upload script when every file of a panel's upload was accepted.
  document.addEventListener("zi:evidence-changed", function (event) {
    refreshRow(rowOf(event.target));
  });
})();
