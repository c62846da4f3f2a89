// Accounts per child unit as a stacked bar: updating, dormant, long-dormant; duplicates beside.
(function () {
  function draw() {
    var holder = document.getElementById("health-chart");
    var source = document.getElementById("health-chart-data");
    if (!holder || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var labels = data.labels;
    var colours = { healthy: "#2e7d32", dormant: "#f9a825", long_dormant: "#c62828", duplicates: "#5e35b1" };
    function bar(key, stack) {
      return {
        name: labels[key],
        type: "bar",
        stack: stack,
        emphasis: { focus: "series" },
        itemStyle: { color: colours[key] },
        data: data[key],
      };
    }
    var chart = window.echarts.init(holder);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, data: ["healthy", "dormant", "long_dormant", "duplicates"].map(function (k) { return labels[k]; }) },
      grid: { left: 50, right: 20, top: 40, bottom: 10, containLabel: true },
      xAxis: { type: "category", data: data.units, axisLabel: { interval: 0, rotate: data.units.length > 8 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [bar("healthy", "accounts"), bar("dormant", "accounts"), bar("long_dormant", "accounts"), bar("duplicates", "duplicates")],
    });
    window.addEventListener("resize", function () { chart.resize(); });
    holder.dataset.rendered = "true";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
