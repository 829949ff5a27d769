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
