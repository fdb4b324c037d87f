/* Charts of the talent figures page, drawn by the vendored ECharts from the page's json_script.
   The tables below hold the same numbers, so nothing is lost without JavaScript. */
(function () {
  "use strict";
  var source = document.getElementById("talent-stats-data");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var charts = [];
  var grid = { left: 44, right: 16, top: 40, bottom: 48, containLabel: true };

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    el.dataset.drawn = "1";
    charts.push(chart);
  }

  draw("chart-tiers", {
    color: ["#c8161d"], tooltip: { trigger: "axis" }, grid: grid,
    xAxis: { type: "category", data: data.tiers.names, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.tiers.values }]
  });
  var PALETTE = ["#1f6fd1", "#1a7f37", "#d4a100", "#7a5cc2"];
  data.groups.forEach(function (g) {
    draw(g.id, {
      // One legend line (paged when the card is narrow), so that it never runs over the bars.
      color: PALETTE, tooltip: { trigger: "axis" }, legend: { top: 0, type: "scroll" }, grid: grid,
      xAxis: { type: "category", data: g.names,
               axisLabel: { interval: 0, rotate: g.names.length > 6 || g.names.join("").length > 12 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: g.yuan ? 0 : 1 },
      series: g.series.map(function (s) { return { name: s.name, type: "bar", data: s.values }; })
    });
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
