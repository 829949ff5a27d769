// Add and remove rows of the 申报表's tables (负责人, 联系人, 子项目, 分解目标).
// Without JavaScript the page still works: it always offers blank rows, and blank rows are dropped.
(function () {
  "use strict";

  function nextIndex(container, table) {
    var pattern = new RegExp("^" + table + "-(\\d+)-");
    var max = -1;
    container.querySelectorAll("[name]").forEach(function (el) {
      var m = pattern.exec(el.getAttribute("name"));
      if (m) { max = Math.max(max, parseInt(m[1], 10)); }
    });
    return max + 1;
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      var table = add.getAttribute("data-add-row");
      var container = document.querySelector('[data-rows="' + table + '"]');
      var template = container.querySelector("template");
      var html = template.innerHTML.replace(/__i__/g, String(nextIndex(container, table)));
      var target = container.querySelector("tbody") || container;
      if (target === container) {
        template.insertAdjacentHTML("beforebegin", html);
      } else {
        target.insertAdjacentHTML("beforeend", html);
      }
      return;
    }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      var row = remove.closest("[data-row]");
      if (row) { row.remove(); }
    }
  });
}());
