/* The finder's "near me" button: the phone's position goes into the search form. */
(function () {
  var b = document.getElementById("locate");
  if (!("geolocation" in navigator)) return;
  b.hidden = false;
  b.addEventListener("click", function () {
    b.disabled = true;
    navigator.geolocation.getCurrentPosition(function (p) {
      var f = document.getElementById("finder");
      ["lng", "lat"].forEach(function (k) {
        var i = f.querySelector("input[name=" + k + "]");
        if (!i) { i = document.createElement("input"); i.type = "hidden"; i.name = k; f.appendChild(i); }
        i.value = (k === "lng" ? p.coords.longitude : p.coords.latitude).toFixed(6);
      });
      f.submit();
    }, function () { b.disabled = false; document.getElementById("locate-error").hidden = false; },
    { timeout: 10000, maximumAge: 60000 });
  });
})();
