// Answering forms on the assessment page: the value of the answer shown as the user types,
// and htmx responses for refused saves shown in place. A static file: the CSP allows no inline script.
// The server computes every saved value again with the scoring engine; this is only a preview.
(function () {
  "use strict";

  // Two decimals in the page's language (<html lang>), like the server's formatting helper.
  var valueFormat = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en-GB" : "id-ID",
    { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  function formatValue(number) {
    return valueFormat.format(number);
  }

  // One counted input: null when empty, NaN when not a whole non-negative number.
  function parseCount(text) {
    text = text.trim();
    if (text === "") {
      return null;
    }
    return /^\d+$/.test(text) ? parseInt(text, 10) : NaN;
  }

  // Same rules as scoring/engine.py (_ratio_value, decrease_value).
  function countedValue(rule, counts) {
    if (rule.kind === "decrease") {
      var previous = counts[rule.previous], current = counts[rule.current];
      if (previous === 0) {
        return { value: current === 0 ? 1 : 0, warning: "" };
      }
      return { value: Math.max(0, (previous - current) / previous), warning: "" };
    }
    var numerator = counts[rule.numerator], denominator = counts[rule.denominator], warning = "";
    if (rule.breakdown && rule.breakdown.length) {
      var parts = rule.breakdown.reduce(function (sum, i) { return sum + counts[i]; }, 0);
      if (parts !== denominator) {
        warning = "breakdown";
      }
    }
    if (numerator > denominator) {
      return { value: 1, warning: "capped" };
    }
    if (denominator === 0) {
      return { value: Number(rule.zero_denominator), warning: warning };
    }
    return { value: numerator / denominator, warning: warning };
  }

  // {value, warning} or {blank: true} or {invalid: true}.
  function liveValue(form) {
    var type = form.getAttribute("data-answer-type");
    var rule = form.hasAttribute("data-rule") ? JSON.parse(form.getAttribute("data-rule")) : null;
    if (type === "index") {
      var text = form.querySelector("[name=index]").value.trim().replace(",", ".");
      if (text === "") {
        return { blank: true };
      }
      var maximum = rule && rule.max ? Number(rule.max) : 4;
      if (!/^\d+(\.\d{1,2})?$/.test(text) || Number(text) > maximum) {
        return { invalid: true };
      }
      return { value: Number(text) / maximum, warning: "" };
    }
    if (type === "ratio") {
      var counts = Array.prototype.map.call(form.querySelectorAll("[name=inputs]"), function (input) {
        return parseCount(input.value);
      });
      if (counts.every(function (c) { return c === null; })) {
        return { blank: true };
      }
      if (counts.some(function (c) { return c === null || isNaN(c); })) {
        return { invalid: true };
      }
      return countedValue(rule, counts);
    }
    var checked = form.querySelector("[name=option]:checked");
    if (!checked || checked.value === "") {
      return { blank: true };
    }
    return { value: Number(checked.getAttribute("data-value")), warning: "" };
  }

  function showLiveValue(form) {
    var output = form.querySelector("[data-live-value]");
    if (!output) {
      return;
    }
    var result = liveValue(form);
    var text;
    if (result.blank) {
      text = output.getAttribute("data-text-blank");
    } else if (result.invalid) {
      text = output.getAttribute("data-text-invalid");
    } else {
      text = formatValue(result.value);
      if (result.warning) {
        text += " (" + output.getAttribute("data-text-" + result.warning) + ")";
      }
    }
    output.textContent = text;
    output.classList.toggle("live-warning", Boolean(result.invalid || result.warning));
  }

  function showAll(root) {
    var forms = root.querySelectorAll ? root.querySelectorAll("form[data-answer-form]") : [];
    Array.prototype.forEach.call(forms, showLiveValue);
  }

  function onEdit(event) {
    var form = event.target.closest && event.target.closest("form[data-answer-form]");
    if (form) {
      showLiveValue(form);
    }
  }

  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);
  document.addEventListener("DOMContentLoaded", function () { showAll(document); });
  document.addEventListener("htmx:load", function (event) { showAll(event.detail.elt); });

  // A conflict (409) or a refused value (422) comes back as the question's answer box with
  // the message in it: swap it in like a success.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Anything else (403 after a stage change, a lost connection): say so in the answer box.
  function showFailure(event) {
    var box = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("[data-answer-box]");
    if (!box) {
      return;
    }
    var alert = box.querySelector(".answer-failure");
    if (!alert) {
      alert = document.createElement("div");
      alert.className = "alert alert-danger py-1 px-2 small mb-1 answer-failure";
      alert.setAttribute("role", "alert");
      box.insertBefore(alert, box.firstChild);
    }
    alert.textContent = box.getAttribute("data-error-text");
  }

  document.addEventListener("htmx:responseError", showFailure);
  document.addEventListener("htmx:sendError", showFailure);

  // A saved answer replaces its whole box, and the focused button with it: when the focus was in
  // the box, move it to the box's message ("Jawaban disimpan." or why not), else to its save button,
  // so keyboard and screen reader users hear the result and go on from there (docs/accessibility.md).
  var refocus = false;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var box = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("[data-answer-box]");
    if (box) {  // other requests (the area page's row refresh) leave the flag alone
      refocus = box.contains(document.activeElement);
    }
  });
  document.addEventListener("htmx:load", function (event) {
    var box = event.detail.elt;
    if (!refocus || !box || !box.matches || !box.matches("[data-answer-box]")) {
      return;
    }
    refocus = false;
    var target = box.querySelector(".answer-message, .answer-flag, .answer-refusal") ||
      box.querySelector("[data-answer-form] button[type=submit]");
    if (target) {
      if (!target.matches("button")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
    }
  });
})();
