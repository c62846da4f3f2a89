// Each rule's measured precision as horizontal bars, with the number of decided findings
// behind it (ECharts, served locally; data from the page's json_script).
(function () {
  function draw() {
    var holder = document.getElementById("rules-chart");
    var source = document.getElementById("rules-chart-data");
    if (!holder || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    holder.style.height = Math.max(200, 60 + data.rules.length * 28) + "px";
    var chart = window.echarts.init(holder);
    chart.setOption({
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: function (items) {
          var i = items[0].dataIndex;
          return data.rules[i] + "<br>" + data.labels.precision + "：" + data.precision[i] +
            "<br>" + data.labels.decided + "：" + data.decided[i];
        },
      },
      grid: { left: 220, right: 40, top: 20, bottom: 30 },
      xAxis: { type: "value", min: 0, max: 100, name: data.labels.precision },
      yAxis: { type: "category", data: data.rules, inverse: true },
      series: [{
        name: data.labels.precision,
        type: "bar",
        data: data.precision,
        label: { show: true, position: "right", formatter: "{c}%" },
      }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
    holder.dataset.rendered = "true";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
