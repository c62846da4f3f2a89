// The web bulletin's three charts (ECharts, served locally): the distribution of the accounts'
// scores, the scope's trend over recent periods, and the comparison of its units.
(function () {
  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function chart(id, option) {
    var holder = document.getElementById(id);
    if (!holder) return;
    var instance = window.echarts.init(holder);
    instance.setOption(option);
    window.addEventListener("resize", function () { instance.resize(); });
    holder.dataset.rendered = "true";
  }

  function empty(labels, values) {
    return values.length ? null : { text: labels.empty, left: "center", top: "middle", textStyle: { color: "#616e7c", fontSize: 14 } };
  }

  function draw() {
    var data = read("bulletin-chart-data");
    var labels = read("bulletin-chart-labels");
    if (!data || !labels || !window.echarts) return;
    var grid = { left: 50, right: 20, top: 50, bottom: 40, containLabel: true };
    chart("bulletin-distribution", {
      title: { text: labels.distribution, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      grid: grid,
      xAxis: { type: "category", data: data.distribution.labels },
      yAxis: { type: "value", name: labels.accounts, minInterval: 1 },
      series: [{ type: "bar", name: labels.accounts, data: data.distribution.counts, itemStyle: { color: "#0b5cad" } }],
    });
    chart("bulletin-trend", {
      title: [{ text: labels.trend, left: "center", textStyle: { fontSize: 14 } }].concat(empty(labels, data.trend.labels) || []),
      tooltip: { trigger: "axis" },
      legend: { top: 24, data: [labels.mean, labels.median] },
      grid: { left: 50, right: 20, top: 60, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: data.trend.labels },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [
        { type: "line", name: labels.mean, data: data.trend.mean, itemStyle: { color: "#c62828" } },
        { type: "line", name: labels.median, data: data.trend.median, itemStyle: { color: "#0b5cad" } },
      ],
    });
    chart("bulletin-units", {
      title: [{ text: labels.units, left: "center", textStyle: { fontSize: 14 } }].concat(empty(labels, data.units.names) || []),
      tooltip: { trigger: "axis" },
      legend: { top: 24, data: [labels.composite, labels.forces] },
      grid: { left: 50, right: 20, top: 60, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: data.units.names, axisLabel: { interval: 0, rotate: data.units.names.length > 6 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: [
        { type: "bar", name: labels.composite, data: data.units.composite, itemStyle: { color: "#c62828" } },
        { type: "bar", name: labels.forces, data: data.units.forces, itemStyle: { color: "#0b5cad" } },
      ],
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
