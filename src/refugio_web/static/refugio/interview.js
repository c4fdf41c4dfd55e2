/* Refugio interview: optional enhancements. Everything works without this file (plain forms,
   POST-redirect-GET); with it, questions that do not apply are hidden as the user answers, and
   answers are saved in the background while typing and when the page is left or closed. */
(function () {
  "use strict";
  var form = document.getElementById("step-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("autosave-status");
  var version = form.querySelector('input[name="version"]');

  function valueOf(path) {
    var found = null;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name !== path) { return; }
      if (el.type === "radio") {
        if (found === null) { found = ""; }
        if (el.checked) { found = el.value; }
      } else if (el.type === "checkbox") {
        found = el.checked ? el.value : "";
      } else {
        found = el.value;
      }
    });
    return found;
  }

  function applyConditions() {
    Array.prototype.forEach.call(form.querySelectorAll("[data-show-if]"), function (el) {
      var current = valueOf(el.getAttribute("data-show-if"));
      if (current === null) { return; } /* decided on another screen: the server showed it */
      var wanted = (el.getAttribute("data-show-values") || "").split(" ");
      el.hidden = wanted.indexOf(current) < 0;
    });
  }

  var timer = null;
  var dirty = false;
  function say(text) { if (status) { status.textContent = text; } }

  function payload() {
    var data = new FormData(form);
    data.set("action", "autosave");
    return data;
  }

  function save() {
    timer = null;
    if (!dirty) { return; }
    dirty = false;
    fetch(form.action || window.location.href, {
      method: "POST", body: payload(), credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.status === 409) { say(form.getAttribute("data-conflict-text")); return null; }
      if (response.status === 401) { say(form.getAttribute("data-login-text")); return null; }
      if (!response.ok) { dirty = true; say(form.getAttribute("data-failed-text")); return null; }
      return response.json();
    }).then(function (body) {
      if (body && body.version) {
        version.value = body.version;
        say(form.getAttribute("data-saved-text"));
      }
    }).catch(function () { dirty = true; say(form.getAttribute("data-failed-text")); });
  }

  function changed() {
    dirty = true;
    applyConditions();
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(save, 1000);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { dirty = false; if (timer) { window.clearTimeout(timer); } });
  /* Closing the tab or leaving by another link: send what was typed since the last save. */
  window.addEventListener("pagehide", function () {
    if (dirty && navigator.sendBeacon) { navigator.sendBeacon(window.location.href, payload()); dirty = false; }
  });
  applyConditions();
}());
