// The visit form: the device's time and, when shared, its location at submission.
(function () {
  var form = document.getElementById("visit-form");
  if (!form) return;
  var note = document.getElementById("visit-location");
  var lng = form.querySelector("[name=lng]");
  var lat = form.querySelector("[name=lat]");
  var time = form.querySelector("[name=device_time]");
  function stamp() {
    if (time) time.value = new Date().toISOString();
  }
  stamp();
  if (navigator.geolocation && lng && lat) {
    navigator.geolocation.getCurrentPosition(function (pos) {
      lng.value = pos.coords.longitude.toFixed(6);
      lat.value = pos.coords.latitude.toFixed(6);
      if (note) note.textContent = note.dataset.got;
    }, function () {
      if (note) note.textContent = note.dataset.none;
    }, { timeout: 8000, maximumAge: 60000 });
  }
  form.addEventListener("submit", function () {
    stamp();
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
  });
})();
