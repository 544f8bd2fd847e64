// Draws the page's charts: each <div data-chart-spec="ID"> with its Vega-Lite spec in
// <script type="application/json" id="ID"> (Django's json_script), through the vega-embed bundle
// (vendor/vega-embed.js). Vega's expressions run in its interpreter (ast: true), never through
// new Function, so the Content-Security-Policy needs no 'unsafe-eval'. Without script, the table
// beside each chart shows the same figures.
(function () {
  "use strict";

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-chart-spec"));
    if (!source || typeof window.vegaEmbed !== "function") {
      return;
    }
    window
      .vegaEmbed(element, JSON.parse(source.textContent), {
        ast: true,
        actions: false,
        renderer: "svg",
        // A click on a bar or point opens the outcomes behind it in the same tab.
        loader: { target: "_self" },
      })
      .then(function () {
        element.classList.add("chart-drawn");
      })
      .catch(function (error) {
        element.classList.add("chart-failed");
        console.error(error);
      });
  }

  function drawAll() {
    document.querySelectorAll("[data-chart-spec]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
