// Dari's page kit: the two things CSS cannot do alone (docs/page-kit.md). Without this script the
// pages still work: the header's menu stays open and table cells stack without their column names.
(function () {
  "use strict";

  // The header's menu button (under 640 px): shows and hides #site-menu, says so in aria-expanded.
  function setUpMenu() {
    var header = document.querySelector(".site-header");
    var toggle = header && header.querySelector(".menu-toggle");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) return;
    header.classList.add("menu-collapsible");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        toggle.click();
        toggle.focus();
      }
    });
  }

  // Table cards (under 960 px): each cell shows its column's name, from the header row, unless the
  // template gave it a data-label of its own.
  function labelCells(root) {
    root.querySelectorAll("table.table").forEach(function (table) {
      var headings = table.querySelectorAll("thead th");
      if (!headings.length) return;
      var names = Array.prototype.map.call(headings, function (th) { return th.textContent.trim(); });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && cell.colSpan === 1) {
            cell.setAttribute("data-label", names[column] || "");
          }
          column += cell.colSpan;
        });
      });
    });
  }

  function start() {
    setUpMenu();
    labelCells(document);
    document.body.addEventListener("htmx:afterSwap", function (event) { labelCells(event.target); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
