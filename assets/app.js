// Proxima: small progressive enhancements. Every page works without this.
"use strict";
(function () {
  // Mark the document once scripts run so styles can show the richer
  // controls (steppers, duration presets) that need this script.
  document.documentElement.classList.add("js");

  function byId(id) { return id ? document.getElementById(id) : null; }

  // Duration presets: the button whose value is in the field looks pressed.
  function syncPresets(input) {
    document.querySelectorAll(".presets").forEach(function (group) {
      if (group.dataset.for !== input.id) return;
      group.querySelectorAll("button").forEach(function (b) {
        b.setAttribute("aria-pressed", b.dataset.value === input.value.trim() ? "true" : "false");
      });
    });
  }

  document.addEventListener("click", function (e) {
    var t = e.target;
    if (!(t instanceof Element)) return;
    // -/+ steppers next to whole-number fields.
    var step = t.closest("button.step");
    if (step) {
      var input = byId(step.dataset.for);
      if (!input) return;
      var v = parseInt(input.value, 10);
      if (isNaN(v) || v < 0) v = 0;
      v += parseInt(step.dataset.delta, 10) || 0;
      var max = parseInt(input.dataset.max, 10);
      if (v < 0) v = 0;
      if (!isNaN(max) && v > max) v = max;
      input.value = String(v);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      return;
    }
    // Common durations: one tap fills the field.
    var preset = t.closest(".presets button");
    if (preset) {
      var field = byId(preset.closest(".presets").dataset.for);
      if (!field) return;
      field.value = preset.dataset.value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });

  document.addEventListener("input", function (e) {
    var t = e.target;
    if (t instanceof HTMLInputElement && t.id) syncPresets(t);
  });

  document.querySelectorAll(".presets").forEach(function (group) {
    var input = byId(group.dataset.for);
    if (input) syncPresets(input);
  });

  // The "presented to" select of the activity form only matters for a
  // presentation of mandate: hidden (and not sent) for the other types.
  document.querySelectorAll("[data-type]").forEach(function (box) {
    var form = box.closest("form");
    if (!form) return;
    function sync() {
      var t = form.querySelector("input[name=type]:checked") ||
              form.querySelector("select[name=type]");
      var on = t && t.value === box.dataset.type;
      box.hidden = !on;
      box.querySelectorAll("select").forEach(function (s) { s.disabled = !on; });
    }
    form.addEventListener("change", function (e) {
      if (e.target.name === "type") sync();
    });
    sync();
  });

  // After a failed submit, move focus to the list of errors so screen
  // readers announce it and the keyboard starts there.
  var summary = byId("erreurs");
  if (summary) summary.focus();
})();
