// Buttons that send a project back or refuse it ask before they go, and say so when the
// comment they need is missing (the server checks both anyway; without JavaScript the
// buttons simply submit).
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-confirm], button[data-needs-comment]");
  if (!button || button.disabled) return;
  var comment = button.form && button.form.querySelector("textarea[name=comment]");
  if (button.dataset.needsComment && comment && !comment.value.trim()) {
    event.preventDefault();
    window.alert(button.dataset.needsComment);
    comment.focus();
    return;
  }
  if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

// A form sends once: a second click (or Enter) while the page waits for the answer is
// ignored, and its buttons show that it is being sent. The buttons are not disabled: a
// disabled button would not send its own name and value. Coming back to the page (the
// browser's back button) makes it usable again.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.sending) {
    event.preventDefault();
    return;
  }
  form.dataset.sending = "1";
  form.classList.add("sending");
}, true);
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-sending]").forEach(function (form) {
    delete form.dataset.sending;
    form.classList.remove("sending");
  });
});

// 「从指标库添加」: with JavaScript, a search box above the select asks the server for the
// entries whose names hold what was typed (a library of thousands is not sent with every
// form); without it, the select lists the project type's entries and 「加入分解目标」 adds one (and saves).
document.querySelectorAll("input[data-library-search]").forEach(function (box) {
  var select = document.getElementById("library_pick");
  var first = select.options[0].cloneNode(true);
  var timer = null;
  box.hidden = false;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = box.dataset.librarySearch + "&q=" + encodeURIComponent(box.value.trim());
      fetch(url, {credentials: "same-origin"}).then(function (answer) {
        return answer.ok ? answer.json() : [];
      }).then(function (entries) {
        select.replaceChildren(first.cloneNode(true));
        entries.forEach(function (entry) {
          var option = document.createElement("option");
          option.value = entry.id;
          option.textContent = entry.label;
          select.appendChild(option);
        });
        if (entries.length) select.selectedIndex = 1;
      });
    }, 250);
  });
});
