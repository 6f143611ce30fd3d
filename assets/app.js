// Proxima: small progressive enhancements. Every page works without this.
"use strict";
(function () {
  // The language switch keeps working as a plain form; mark the document
  // once scripts run so styles can offer richer controls later.
  document.documentElement.classList.add("js");
})();
