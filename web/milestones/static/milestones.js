// The milestones form: the 「[终验 ▾] 之后」 lists follow the names typed on the page, so a row
// typed or added here can be chosen at once, and a row added with 「添加一行」 gets its number.
// Without JavaScript the lists hold the rows as the page was rendered (a new row can be chosen
// once saved), 「添加一行」 stays hidden and the page keeps two blank rows: everything still works.
(function () {
  "use strict";
  var table = document.querySelector('table.milestones[data-rows="milestones"]');
  if (!table) { return; }
  var NAME = /^milestones-(\d+)-(\w+)$/;

  function rows() {
    return Array.prototype.slice.call(table.querySelectorAll("tbody > tr[data-row]"));
  }

  function numberOf(row) {
    var field = row.querySelector("[name]");
    var match = field && NAME.exec(field.getAttribute("name"));
    return match ? String(parseInt(match[1], 10) + 1) : "";
  }

  function label(entry, counts) {
    if (!entry.title) { return "第" + entry.number + "行（未命名）"; }
    var title = entry.title.length > 20 ? entry.title.slice(0, 20) + "…" : entry.title;
    return counts[entry.title] > 1 ? title + "（第" + entry.number + "行）" : title;
  }

  function refresh() {
    var entries = rows().map(function (row) {
      var title = row.querySelector('input[name$="-title"]');
      return { number: numberOf(row), title: title ? title.value.trim().replace(/\s+/g, " ") : "" };
    });
    var counts = {};
    entries.forEach(function (e) { if (e.title) { counts[e.title] = (counts[e.title] || 0) + 1; } });
    rows().forEach(function (row) {
      var own = numberOf(row);
      var select = row.querySelector('select[name$="-anchor"]');
      if (!select) { return; }
      var chosen = select.value;
      while (select.options.length > 1) { select.remove(1); }
      entries.forEach(function (e) {
        if (e.number === own || (!e.title && e.number !== chosen)) { return; }
        select.add(new Option(label(e, counts), e.number, false, e.number === chosen));
      });
      select.value = chosen;
    });
  }

  function renumber() {
    rows().forEach(function (row) {
      var number = numberOf(row);
      row.setAttribute("data-number", number);
      var cell = row.querySelector("td.number");
      if (cell) { cell.textContent = number; }
    });
  }

  var add = document.querySelector('[data-add-row="milestones"]');
  if (add) { add.hidden = false; }  // without JavaScript it could not work: it stays hidden
  table.addEventListener("input", function (event) {
    if (/-title$/.test(event.target.getAttribute("name") || "")) { refresh(); }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest('[data-add-row="milestones"]')) {
      // rows.js (loaded first) has added the row in its own handler of this click
      renumber();
      refresh();
    }
  });
}());
