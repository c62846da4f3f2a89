// The web bulletin's three charts (ECharts, served locally): the distribution of the accounts'
// scores, the scope's trend over recent periods, and the comparison of its units.
(function () {
  var RED = "#c62828";
  var BLUE = "#0b5cad";

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

  function titles(text, labels, values) {
    var list = [{ text: text, left: "center", textStyle: { fontSize: 14 } }];
    if (!values.length) {
      list.push({ text: labels.empty, left: "center", top: "middle", textStyle: { color: "#616e7c", fontSize: 13, fontWeight: "normal" } });
    }
    return list;
  }

  function distribution(data, labels) {
    chart("bulletin-distribution", {
      title: titles(labels.distribution, labels, data.counts),
      tooltip: { trigger: "axis" },
      grid: { left: 20, right: 20, top: 50, bottom: 20, containLabel: true },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", name: labels.accounts, data: data.counts, itemStyle: { color: BLUE }, label: { show: true, position: "top" } }],
    });
  }

  function trend(data, labels) {
    chart("bulletin-trend", {
      title: titles(labels.trend, labels, data.labels),
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, data: [labels.mean, labels.median] },
      grid: { left: 20, right: 30, top: 50, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [
        { type: "line", name: labels.mean, data: data.mean, itemStyle: { color: RED } },
        { type: "line", name: labels.median, data: data.median, itemStyle: { color: BLUE } },
      ],
    });
  }

  function units(data, labels) {
    var holder = document.getElementById("bulletin-units");
    if (!holder) return;
    // One band per unit, best on top: a city with thirty departments still reads.
    holder.style.height = Math.max(260, 28 * data.names.length + 110) + "px";
    chart("bulletin-units", {
      title: titles(labels.units, labels, data.names),
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { bottom: 0, data: [labels.composite, labels.forces] },
      grid: { left: 20, right: 40, top: 40, bottom: 40, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", inverse: true, data: data.names },
      series: [
        { type: "bar", name: labels.composite, data: data.composite, itemStyle: { color: RED } },
        { type: "bar", name: labels.forces, data: data.forces, itemStyle: { color: BLUE } },
      ],
    });
  }

  function draw() {
    var data = read("bulletin-chart-data");
    var labels = read("bulletin-chart-labels");
    if (!data || !labels || !window.echarts) return;
    distribution(data.distribution, labels);
    trend(data.trend, labels);
    units(data.units, labels);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
