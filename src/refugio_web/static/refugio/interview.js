/* Refugio interview: optional enhancements. Everything works without this file (plain forms,
   POST-redirect-GET); with it, questions that do not apply are hidden as the user answers, and
   answers are saved in the background while typing and when the page is left or closed. */
/* The error summary: read first (it takes the focus), and each of its links puts the cursor in
   the answer it names; for a group of radio buttons, in the chosen one or the first. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary || !summary.addEventListener) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest('a[href^="#"]') : null;
    var target = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
    if (!target) { return; }
    var field = target.matches("input, select, textarea") ? target :
      target.querySelector("input:checked") || target.querySelector("input, select, textarea");
    if (!field) { return; }
    event.preventDefault();
    var caption = target.querySelector("legend") ||
      document.querySelector('label[for="' + field.id + '"]') || field;
    caption.scrollIntoView();
    field.focus({ preventScroll: true });
  });
}());

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
  /* One autosave at a time: each answer carries the version the next save must name (the
     server refuses a stale one as a conflict). A save or a submit asked for while one is on its
     way waits for its answer. */
  var saving = false;
  var held = null; /* a submit held meanwhile: {button: the button pressed, or null} */
  function say(text) { if (status) { status.textContent = text; } }

  function payload() {
    var data = new FormData(form);
    data.set("action", "autosave");
    return data;
  }

  function save() {
    timer = null;
    if (!dirty || saving) { return; }
    dirty = false;
    saving = true;
    /* Not form.action: the buttons named "action" shadow that property (a RadioNodeList). */
    fetch(form.getAttribute("action") || window.location.href, {
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
    }).catch(function () {
      dirty = true; say(form.getAttribute("data-failed-text"));
    }).then(saved);
  }

  function saved() {
    saving = false;
    if (held) {
      var button = held.button;
      held = null;
      submitWith(button);
    } else if (dirty && !timer) {
      timer = window.setTimeout(save, 1000);
    }
  }

  /* Submit the form as the held button would have (Enter presses the first one). */
  function submitWith(button) {
    if (form.requestSubmit) {
      if (button) { form.requestSubmit(button); } else { form.requestSubmit(); }
      return;
    }
    if (button && button.name) {
      var extra = document.createElement("input");
      extra.type = "hidden"; extra.name = button.name; extra.value = button.value;
      form.appendChild(extra);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  function changed() {
    dirty = true;
    applyConditions();
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(save, 1000);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) {
    if (timer) { window.clearTimeout(timer); timer = null; }
    if (saving) { /* sent with the version the autosave on its way brings back */
      event.preventDefault();
      held = { button: event.submitter || null };
      return;
    }
    dirty = false;
  });
  /* Closing the tab or leaving by another link: send what was typed since the last save. */
  window.addEventListener("pagehide", function () {
    if (dirty && navigator.sendBeacon) { navigator.sendBeacon(window.location.href, payload()); dirty = false; }
  });
  applyConditions();
}());
