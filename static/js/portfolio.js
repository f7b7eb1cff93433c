/* The portfolio's chart: projects per status colour for each dimension, stacked. Data comes from
   the page (json_script); nothing is fetched. */
(function () {
  "use strict";
  var canvas = document.getElementById("rag-chart");
  var source = document.getElementById("rag-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = {green: "#198754", amber: "#ffc107", red: "#dc3545"};
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (s) {
        return {label: s.label, data: s.data, backgroundColor: colours[s.colour]};
      })
    },
    options: {
      animation: false,
      responsive: true,
      scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true, ticks: {precision: 0}}},
      plugins: {legend: {position: "bottom"}}
    }
  });
})();
