// Move focus to the error summary after a failed submit, so keyboard and screen-reader
// users land on the list of what to correct.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});
