/* Small behaviours; no inline scripts anywhere (the Content Security Policy forbids them). */
(function () {
  "use strict";

  document.querySelectorAll(".js-autosubmit").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });

  // Charts: ECharts is loaded by this script, on any page that has a [data-chart] element
  // (panels with charts are included in many pages; none of them has to remember the library).
  var lang = document.documentElement.lang || "zh-hans";
  var self = document.currentScript;

  function draw(el) {
    if (el.dataset.drawn) { return; }
    el.dataset.drawn = "1";
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
  }

  var loading = null;
  function withECharts(callback) {
    if (window.echarts) { callback(); return; }
    if (!loading) {
      loading = [];
      var script = document.createElement("script");
      script.src = self && self.dataset.echarts;
      script.onload = function () { loading.forEach(function (fn) { fn(); }); };
      document.head.appendChild(script);
    }
    loading.push(callback);
  }

  function drawCharts(root) {
    var charts = (root || document).querySelectorAll("[data-chart]:not([data-drawn])");
    if (!charts.length) { return; }
    withECharts(function () { charts.forEach(draw); });
  }

  drawCharts(document);
  document.body.addEventListener("htmx:afterSettle", function (event) { drawCharts(event.target); });

  // Print buttons (class js-print): no inline onclick, which the CSP forbids.
  document.body.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".js-print")) { window.print(); }
  });
})();
