/* Small behaviours every page may use, declared with data attributes (the Content-Security-Policy allows no inline
   script): data-autosubmit, data-print, data-confirm, data-tree-toggle, data-phrase, data-geofill; and a link to a spot inside a closed <details>
   opens it. */
(function () {
  "use strict";
  function revealTarget() {
    var id = decodeURIComponent(location.hash.slice(1)), target = id && document.getElementById(id);
    var holder = target && target.closest("details:not([open])");
    if (holder) { holder.open = true; target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", revealTarget);
  document.addEventListener("DOMContentLoaded", revealTarget);
  document.addEventListener("change", function (e) {
    var el = e.target.closest("[data-autosubmit]");
    if (el && el.form) el.form.submit();
  });
  document.addEventListener("submit", function (e) {
    var form = e.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) e.preventDefault();
  });
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-print]")) { window.print(); return; }
    var phrase = e.target.closest("[data-phrase]");
    if (phrase) {
      var box = phrase.closest("form").querySelector("textarea");
      if (box) { box.value = phrase.dataset.phrase; box.focus(); }
    }
  });
  // A tree node's +/− button: expanding lets htmx load the children; collapsing empties them without a request
  // (captured before htmx's own listener on the button).
  document.addEventListener("click", function (e) {
    var toggle = e.target.closest("[data-tree-toggle]");
    if (!toggle) return;
    var opening = toggle.textContent.trim() === "+";
    toggle.textContent = opening ? "−" : "+";
    if (!opening) {
      toggle.parentNode.nextElementSibling.innerHTML = "";
      e.preventDefault();
      e.stopPropagation();
    }
  }, true);
  // Fill a form's longitude and latitude fields from the phone's position, where the browser allows it.
  document.querySelectorAll("[data-geofill]").forEach(function (form) {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(function (p) {
      form.querySelector("[name=lng]").value = p.coords.longitude.toFixed(6);
      form.querySelector("[name=lat]").value = p.coords.latitude.toFixed(6);
    });
  });
})();
