// The metric history of one post as a line chart (ECharts, served locally).
(function () {
  function draw() {
    var holder = document.getElementById("metric-chart");
    var data = document.getElementById("metric-series");
    var labels = document.getElementById("metric-labels");
    if (!holder || !data || !window.echarts) return;
    var series = JSON.parse(data.textContent);
    var names = JSON.parse(labels.textContent);
    var shown = ["reads", "likes", "wows", "shares", "comments", "plays"].filter(function (key) {
      return series[key].some(function (v) { return v > 0; });
    });
    var chart = window.echarts.init(holder);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: shown.map(function (k) { return names[k]; }) },
      grid: { left: 60, right: 60, top: 40, bottom: 40 },
      xAxis: { type: "time" },
      // Reads and plays dwarf the rest: they get their own axis on the left.
      yAxis: [{ type: "value", name: names.reads }, { type: "value", name: "" }],
      series: shown.map(function (key) {
        var big = key === "reads" || key === "plays";
        return {
          name: names[key],
          type: "line",
          yAxisIndex: big ? 0 : 1,
          showSymbol: true,
          data: series.times.map(function (t, i) { return [t, series[key][i]]; }),
        };
      }),
    });
    window.addEventListener("resize", function () { chart.resize(); });
    holder.dataset.rendered = "true";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
