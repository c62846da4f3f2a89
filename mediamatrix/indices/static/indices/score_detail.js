// One score's trend over the stored periods of its kind; a click opens that period's score.
(function () {
  function draw() {
    var holder = document.getElementById("score-trend");
    var source = document.getElementById("score-trend-data");
    if (!holder || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(holder);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 60, right: 30, top: 20, bottom: 40 },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", scale: true },
      series: [{
        type: "line",
        data: data.values.map(function (value, i) {
          var current = data.ids[i] === data.current;
          return { value: value, symbolSize: current ? 12 : 6, itemStyle: current ? { color: "#c62828" } : {} };
        }),
      }],
    });
    chart.on("click", function (event) {
      var url = data.urls[event.dataIndex];
      if (url) window.location.href = url;
    });
    window.addEventListener("resize", function () { chart.resize(); });
    holder.dataset.rendered = "true";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
