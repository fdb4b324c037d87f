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
  if (data.children.names.length) {
    draw("chart-children", {
      color: ["#1f6fd1", "#1a7f37"], tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: grid,
      xAxis: { type: "category", data: data.children.names,
               axisLabel: { interval: 0, rotate: data.children.names.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: data.labels.talents, type: "bar", data: data.children.talents },
        { name: data.labels.hires, type: "bar", data: data.children.hires }
      ]
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
