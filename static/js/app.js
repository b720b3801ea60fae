/* Small behaviours; no inline scripts anywhere (the Content Security Policy forbids them). */
(function () {
  "use strict";

  document.querySelectorAll(".js-autosubmit").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });

  var lang = document.documentElement.lang || "zh-hans";
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    if (!window.echarts) { return; }
    var source = document.getElementById(el.dataset.source);
    var data = source ? JSON.parse(source.textContent) : [];
    var chart = window.echarts.init(el, null, { locale: lang.indexOf("zh") === 0 ? "ZH" : "EN" });
    var option;
    if (el.dataset.chart === "pie") {
      option = {
        tooltip: { trigger: "item" },
        legend: { bottom: 0 },
        series: [{ type: "pie", radius: ["35%", "62%"], center: ["50%", "42%"], label: { show: false }, labelLine: { show: false }, data: data.map(function (d) { return { name: d.label, value: d.value }; }) }]
      };
    } else {
      option = {
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.map(function (d) { return d.label; }), axisLabel: { rotate: 35, interval: 0 } },
        yAxis: { type: "value", minInterval: 1, scale: el.dataset.chart === "line" },
        series: [{ type: el.dataset.chart === "line" ? "line" : "bar", data: data.map(function (d) { return d.value; }), itemStyle: { color: "#1f5fbf" } }]
      };
    }
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
