/* Charts of the station statistics page, drawn by the vendored ECharts from the page's json_script.
   The tables below the charts hold the same numbers, so nothing is lost without JavaScript. */
(function () {
  "use strict";
  var source = document.getElementById("station-stats-data");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var L = data.labels;
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

  draw("chart-months", {
    color: ["#1f6fd1", "#d4a100"], tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: grid,
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", name: L.person_times, minInterval: 1 },
    series: [
      { name: L.identified, type: "bar", stack: "n", data: data.identified },
      { name: L.anonymous, type: "bar", stack: "n", data: data.anonymous }
    ]
  });
  draw("chart-services", {
    color: ["#1a7f37"], tooltip: { trigger: "axis" }, grid: grid,
    xAxis: { type: "category", data: data.services.names, axisLabel: { interval: 0 } },
    yAxis: { type: "value", name: L.person_times, minInterval: 1 },
    series: [{ name: L.person_times, type: "bar", data: data.services.values }]
  });
  if (data.children.names.length) {
    draw("chart-children", {
      color: ["#c8161d"], tooltip: { trigger: "axis" }, grid: grid,
      xAxis: { type: "category", data: data.children.names,
               axisLabel: { interval: 0, rotate: data.children.names.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", name: L.person_times, minInterval: 1 },
      series: [{ name: L.person_times, type: "bar", data: data.children.values }]
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
