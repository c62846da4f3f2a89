// Rankings: show only the period picker of the chosen kind and the filters of the chosen board;
// draw the top-20 bar chart and the distribution histogram (ECharts, served locally).
(function () {
  function toggle(form, attribute, value) {
    form.querySelectorAll("[" + attribute + "]").forEach(function (label) {
      var shown = label.getAttribute(attribute).split(" ").indexOf(value) >= 0;
      label.hidden = !shown;
    });
  }

  function filters() {
    var form = document.getElementById("ranking-filters");
    if (!form) return;
    var kind = form.querySelector("[name=kind]");
    var board = form.querySelector("[name=board]");
    function update() {
      toggle(form, "data-kinds", kind.value);
      toggle(form, "data-boards", board.value);
    }
    kind.addEventListener("change", update);
    board.addEventListener("change", function () {
      // The four-forces board ranks every platform unless narrowed again on purpose.
      if (board.value === "forces") form.querySelector("[name=platform]").value = "";
      update();
    });
    // Pickers of other kinds and filters of other boards stay out of the address.
    form.addEventListener("submit", function () {
      form.querySelectorAll("label[hidden] input, label[hidden] select").forEach(function (field) {
        field.disabled = true;
      });
    });
    update();
  }

  function draw(id, option) {
    var holder = document.getElementById(id);
    if (!holder) return;
    var chart = window.echarts.init(holder);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    holder.dataset.rendered = "true";
  }

  function charts() {
    var source = document.getElementById("ranking-chart-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    draw("ranking-top-chart", {
      tooltip: { trigger: "axis" },
      grid: { left: 130, right: 30, top: 10, bottom: 30 },
      xAxis: { type: "value", name: data.labels.value },
      // Best first from the top: the category axis runs bottom-up, so it is reversed.
      yAxis: { type: "category", inverse: true, data: data.names, axisLabel: { interval: 0, width: 120, overflow: "truncate" } },
      series: [{ type: "bar", name: data.labels.value, data: data.values, itemStyle: { color: "#c62828" } }],
    });
    draw("ranking-histogram", {
      tooltip: { trigger: "axis" },
      grid: { left: 50, right: 20, top: 20, bottom: 60 },
      xAxis: { type: "category", data: data.histogram.labels, name: data.labels.value, axisLabel: { rotate: 30 } },
      yAxis: { type: "value", name: data.labels.count, minInterval: 1 },
      series: [{ type: "bar", name: data.labels.count, data: data.histogram.counts, barCategoryGap: "5%", itemStyle: { color: "#0b5cad" } }],
    });
  }

  function start() {
    filters();
    charts();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
