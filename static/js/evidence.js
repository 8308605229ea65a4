// Evidence uploads: drag and drop, several files at once (one request and one item per file),
// and a progress bar per file. Without this script the forms still post normally.
(function () {
  "use strict";

  var starters = new WeakMap();  // form -> its start(files)

  function row(list, file) {
    var item = document.createElement("li");
    var name = document.createElement("span");
    name.className = "upload-name text-truncate";
    name.textContent = file.name;
    var percent = document.createElement("span");
    percent.className = "upload-percent text-muted";
    percent.textContent = "0%";
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    var message = document.createElement("span");
    message.className = "upload-message";
    item.append(name, percent, bar, message);
    list.appendChild(item);
    return { item: item, percent: percent, bar: bar, message: message };
  }

  function show(view, ok, text) {
    view.item.classList.add(ok ? "is-done" : "is-error");
    view.bar.value = 100;
    view.percent.textContent = ok ? "✓" : "✗";
    view.message.textContent = text;
  }

  function send(form, file, view) {
    return new Promise(function (resolve) {
      var data = new FormData(form);
      data.delete("berkas");
      data.append("berkas", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          var value = Math.round((event.loaded / event.total) * 100);
          view.bar.value = value;
          view.percent.textContent = value + "%";
        }
      });
      xhr.addEventListener("load", function () {
        var results = [];
        try {
          results = JSON.parse(xhr.responseText).results || [];
        } catch (error) {
          results = [{ ok: false, message: form.dataset.errorText + " (HTTP " + xhr.status + ")" }];
        }
        results.forEach(function (result) { show(view, result.ok, result.message); });
        resolve(results.every(function (result) { return result.ok; }));
      });
      xhr.addEventListener("error", function () {
        show(view, false, form.dataset.offlineText);
        resolve(false);
      });
      xhr.send(data);
    });
  }

  function setUp(form) {
    var list = form.querySelector("[data-upload-list]");
    var zone = form.querySelector("[data-dropzone]");
    var submit = form.querySelector("[data-upload-submit]");
    var busy = false;

    function start(files) {
      files = Array.prototype.slice.call(files);
      if (busy || files.length === 0) {
        return;
      }
      if (!form.querySelector("input[multiple]")) {
        files = files.slice(0, 1);  // a new version is one file
      }
      busy = true;
      form.setAttribute("aria-busy", "true");
      if (submit) {
        submit.disabled = true;
      }
      // One file after another: a clear progress bar each and a light load on the server.
      var chain = Promise.resolve(true);
      files.forEach(function (file) {
        var view = row(list, file);
        chain = chain.then(function (allOk) {
          return send(form, file, view).then(function (ok) { return allOk && ok; });
        });
      });
      chain.then(function (allOk) {
        // The results are shown here only (the server queues no message for these requests).
        // All accepted: show the new list (in a question panel on an area page, load the panel
        // again; anywhere else, reload). Otherwise keep the reasons on screen and offer the reload.
        var panel = form.closest("[data-panel]");
        var slot = panel && panel.parentElement;
        function refresh() {
          form.dispatchEvent(new CustomEvent("zi:evidence-changed", { bubbles: true }));
          if (slot && slot.classList.contains("ws-panel-slot") && window.htmx) {
            window.htmx.ajax("GET", panel.getAttribute("data-panel-url"), { target: slot, swap: "innerHTML" });
          } else {
            window.location.reload();
          }
        }
        if (allOk) {
          window.setTimeout(refresh, 600);
          return;
        }
        var again = document.createElement("button");
        again.type = "button";
        again.className = "btn btn-sm btn-outline-secondary mt-2";
        again.textContent = form.dataset.reloadText || "OK";
        again.addEventListener("click", refresh);
        list.after(again);
      });
    }

    if (submit) {
      submit.hidden = true;
    }
    starters.set(form, start);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    if (zone) {
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (event) {
          event.preventDefault();
          zone.classList.add("is-dragover");
        });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function (event) {
          event.preventDefault();
          zone.classList.remove("is-dragover");
        });
      });
      zone.addEventListener("drop", function (event) {
        if (event.dataTransfer && event.dataTransfer.files) {
          start(event.dataTransfer.files);
        }
      });
    }
  }

  // The file inputs are listened to on the document, not one by one: a panel's form is usable
  // from the moment htmx inserts it, before htmx:load has set the form up (that comes a settle
  // delay later, and a file chosen in between would otherwise be ignored).
  document.addEventListener("change", function (event) {
    var input = event.target;
    var form = input && input.type === "file" && input.closest ? input.closest("form[data-evidence-upload]") : null;
    if (!form) {
      return;
    }
    starterOf(form)(input.files);
    input.value = "";
  });

  // A form's start(files), setting the form up the first time it is asked for.
  function starterOf(form) {
    if (!starters.has(form)) {
      setUp(form);
    }
    return starters.get(form);
  }

  function setUpAll(root) {
    root.querySelectorAll("form[data-evidence-upload]").forEach(starterOf);
  }

  document.addEventListener("DOMContentLoaded", function () { setUpAll(document); });
  // Question panels loaded by htmx bring their own upload forms: set up as soon as they are
  // swapped in (htmx:load comes only after the settle delay; either may come first).
  ["htmx:afterSwap", "htmx:load"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var root = name === "htmx:afterSwap" ? event.detail.target : event.detail.elt;
      if (root && root.querySelectorAll) {
        setUpAll(root);
      }
    });
  });
})();
