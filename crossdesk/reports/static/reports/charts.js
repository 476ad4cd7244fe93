// Draws the report charts from the JSON the page carries (#report-charts): one element
// with data-chart="name" per chart. Every label comes from the server, translated; the
// same numbers are in the table under each chart, so nothing is lost without JavaScript.
(function () {
  "use strict";
  var source = document.getElementById("report-charts");
  if (!source || typeof echarts === "undefined") return;
  var charts = JSON.parse(source.textContent);
  var drawn = [];

  function base(spec) {
    return {
      tooltip: { trigger: "axis", confine: true },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    };
  }

  function trend(spec) {
    var option = base(spec);
    option.xAxis = { type: "category", data: spec.labels };
    option.yAxis = [{ type: "value", minInterval: 1 }, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }];
    option.series = spec.series.map(function (s) {
      return { name: s.name, type: s.type, yAxisIndex: s.axis || 0, data: s.data, connectNulls: true };
    });
    return option;
  }

  function bars(spec) {
    var option = base(spec);
    var max = spec.percent ? 100 : spec.max;
    // Horizontal bars: department names stay readable at phone width.
    option.yAxis = { type: "category", data: spec.labels, inverse: true, axisLabel: { width: 96, overflow: "truncate" } };
    option.xAxis = { type: "value", min: 0, max: max, axisLabel: spec.percent ? { formatter: "{value}%" } : {} };
    option.series = spec.series.map(function (s) {
      return { name: s.name, type: "bar", data: s.data, stack: spec.stacked ? "total" : undefined };
    });
    return option;
  }

  function heat(spec) {
    var highest = spec.data.reduce(function (m, cell) { return Math.max(m, cell[2]); }, 1);
    return {
      tooltip: { position: "top", confine: true },
      grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
      xAxis: { type: "category", data: spec.columns, splitArea: { show: true } },
      yAxis: { type: "category", data: spec.rows, inverse: true, axisLabel: { width: 96, overflow: "truncate" } },
      visualMap: { min: 0, max: highest, calculable: false, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120,
                   inRange: { color: ["#f8f9fa", "#f1aeb5", "#dc3545"] } },
      series: [{ type: "heatmap", data: spec.data, label: { show: true } }],
    };
  }

  var builders = { trend: trend, bars: bars, heat: heat };
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var spec = charts[element.dataset.chart];
    if (!spec || !builders[spec.kind]) return;
    var rows = spec.rows || spec.labels || [];
    element.style.height = (spec.kind === "trend" ? 280 : Math.max(200, 60 + 28 * rows.length)) + "px";
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(builders[spec.kind](spec));
    drawn.push(chart);
  });
  window.addEventListener("resize", function () {
    drawn.forEach(function (chart) { chart.resize(); });
  });
})();
