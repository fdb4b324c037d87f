/* Charts of the statistics page, drawn by the vendored ECharts from the page's json_script.
   The tables below the charts hold the same numbers, so nothing is lost without JavaScript. */
(function () {
  "use strict";
  var source = document.getElementById("case-stats-data");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var L = data.labels;
  var charts = [];
  var grid = { left: 44, right: 16, top: 40, bottom: 48, containLabel: true };
  var legend = { top: 0, type: "scroll" };

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    el.dataset.drawn = "1";
    charts.push(chart);
  }

  draw("chart-monthly", {
    color: ["#1f6fd1", "#1a7f37", "#d1242f"],
    tooltip: { trigger: "axis" }, legend: legend, grid: grid,
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", name: L.cases, minInterval: 1 },
    series: ["reported", "closed", "overdue_at_end"].map(function (key) {
      return { name: L[key], type: "bar", data: data.monthly[key] };
    })
  });

  draw("chart-rates", {
    color: ["#1f6fd1", "#1a7f37", "#d4a100"],
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
    legend: legend, grid: grid,
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", name: L.percent, min: 0, max: 100 },
    series: Object.keys(data.rates).map(function (key) {
      return { name: L[key], type: "line", connectNulls: false, data: data.rates[key] };
    })
  });

  if (data.children.names.length) {
    draw("chart-children", {
      color: ["#1f6fd1", "#1a7f37"],
      tooltip: { trigger: "axis" }, legend: legend, grid: grid,
      xAxis: { type: "category", data: data.children.names, axisLabel: { interval: 0, rotate: data.children.names.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", name: L.cases, minInterval: 1 },
      series: ["reported", "closed"].map(function (key) {
        return { name: L[key], type: "bar", data: data.children[key] };
      })
    });
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
