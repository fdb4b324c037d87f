/* Charts of the figures page, drawn by the vendored ECharts from the page's json_script: per module, its
   figures by sub-area (bars; rates as a line on a second axis). The tables hold the same numbers. */
(function () {
  "use strict";
  var source = document.getElementById("report-charts");
  if (!source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var charts = [];
  data.charts.forEach(function (c) {
    var el = document.getElementById("chart-" + c.app);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var hasRate = c.series.some(function (s) { return s.rate; });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 44, right: hasRate ? 44 : 16, top: 40, bottom: 48, containLabel: true },
      xAxis: { type: "category", data: c.areas, axisLabel: { interval: 0, rotate: c.areas.length > 6 ? 30 : 0 } },
      yAxis: hasRate ? [{ type: "value", minInterval: 1 }, { type: "value", min: 0, max: 100, name: "%" }]
                     : [{ type: "value", minInterval: 1 }],
      series: c.series.map(function (s) {
        return s.rate ? { name: s.name, type: "line", yAxisIndex: 1, data: s.data }
                      : { name: s.name, type: "bar", data: s.data };
      })
    });
    el.dataset.drawn = "1";
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
