/* Patrol finding form: the phone's position, and the hazard level and categories that follow the kind chosen. */
(function () {
  var $ = function (id) { return document.getElementById(id); };
  if (!$('pf-type')) return;
  if (navigator.geolocation) {
    navigator.geolocation.getCurrentPosition(function (p) {
      $('pf-lng').value = p.coords.longitude.toFixed(6); $('pf-lat').value = p.coords.latitude.toFixed(6);
    });
  }
  function follow() {
    var t = $('pf-type').value, cat = $('pf-cat');
    $('pf-level-field').hidden = t !== 'hazard';
    if (t !== 'hazard') $('pf-level').value = '';
    Array.prototype.forEach.call(cat.options, function (o) {
      if (!o.value) return;
      var ok = (' ' + o.getAttribute('data-types') + ' ').indexOf(' ' + t + ' ') >= 0;
      o.hidden = o.disabled = !ok;
      if (!ok && o.selected) cat.value = '';
    });
  }
  $('pf-type').addEventListener('change', follow);
  follow();
})();
