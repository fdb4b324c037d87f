/* The case map on 天地图 tiles (loaded only when tiles are configured). 天地图's *_w layers are Web Mercator
   (EPSG:3857) in CGCS2000 ≈ WGS-84, so the stored points are drawn as they are. The SVG map stays in the
   page: it is what shows without JavaScript, and a button switches back to it. */
(function () {
  "use strict";
  var box = document.getElementById("case-tiles");
  var source = document.getElementById("case-map-data");
  if (!box || !source || typeof L === "undefined") return;
  var data = JSON.parse(source.textContent);
  var svg = document.getElementById("case-svg");
  var COLOURS = { blue: "#1f6fd1", yellow: "#d4a100", red: "#d1242f", parked: "#7a5cc2",
                  closed_on_time: "#1a7f37", closed_late: "#b26b00", done: "#9aa3b2" };

  function tianditu(layer) {
    return L.tileLayer("https://t{s}.tianditu.gov.cn/" + layer + "_w/wmts?SERVICE=WMTS&REQUEST=GetTile" +
      "&VERSION=1.0.0&LAYER=" + layer + "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles" +
      "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=" + encodeURIComponent(data.key),
      { subdomains: "01234567", maxZoom: 18, attribution: "© 天地图" });
  }

  box.hidden = false;
  var map = L.map(box, { preferCanvas: true });
  // The view first: the canvas renderer needs one before any layer is added.
  if (data.box) {
    map.fitBounds([[data.box[1], data.box[0]], [data.box[3], data.box[2]]], { padding: [12, 12] });
  } else {
    map.setView([35.41, 116.59], 10);
  }
  tianditu("vec").addTo(map);
  tianditu("cva").addTo(map);

  var style = { color: "#1f6fd1", weight: 1, fillOpacity: 0.04 };
  data.shapes.forEach(function (s) {
    var label = document.createElement("span");
    label.textContent = s.name;  // an area's name is text, never HTML
    L.geoJSON(s.boundary, { style: style }).bindTooltip(label).addTo(map);
  });
  if (data.outline) L.geoJSON(data.outline, { style: { color: "#1f6fd1", weight: 3, fill: false } }).addTo(map);
  // Crowded dots merge into a numbered cluster in the colour of its most urgent case; a click zooms in, and at
  // the last zoom the cluster spreads its dots apart. The page's list of crowded spots names them too.
  var RANK = { red: 0, yellow: 1, blue: 2, parked: 3, closed_late: 4, closed_on_time: 5, done: 6 };
  var clusters = L.markerClusterGroup({
    maxClusterRadius: 36, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
    iconCreateFunction: function (cluster) {
      var worst = "done";
      cluster.getAllChildMarkers().forEach(function (m) {
        if (RANK[m.options.colourKey] < RANK[worst]) worst = m.options.colourKey;
      });
      var n = cluster.getChildCount();
      var size = n < 10 ? 28 : n < 100 ? 34 : 40;
      return L.divIcon({ html: "<span>" + n + "</span>", className: "case-cluster " + worst,
                         iconSize: L.point(size, size) });
    }
  });
  data.dots.forEach(function (d) {
    var colour = COLOURS[d.colour] || COLOURS.done;
    var marker = L.circleMarker([d.lat, d.lng], {
      radius: 6, color: d.approx ? colour : "#fff", weight: d.approx ? 3 : 1.5,
      fillColor: d.approx ? "#fff" : colour, fillOpacity: 1, colourKey: d.colour
    });
    var link = document.createElement("a");
    link.href = d.url;
    link.textContent = d.number + " " + d.title;
    clusters.addLayer(marker.bindPopup(link));
  });
  map.addLayer(clusters);

  if (svg) {  // one map at a time; a button switches
    svg.hidden = true;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn secondary small tile-toggle";
    button.textContent = box.dataset.labelPlain;
    button.addEventListener("click", function () {
      var showTiles = box.hidden;
      box.hidden = !showTiles;
      svg.hidden = showTiles;
      button.textContent = showTiles ? box.dataset.labelPlain : box.dataset.labelTiles;
      if (showTiles) map.invalidateSize();
    });
    svg.parentNode.insertBefore(button, svg);
  }
})();
