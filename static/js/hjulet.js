// Move focus to the error summary after a failed submit, so keyboard and screen-reader
// users land on the list of what to correct.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});

// Filter panels (<details data-open-when-wide>): open beside the results on a wide screen,
// closed above them on a phone; kept in step when the window crosses the breakpoint and
// after htmx restores a page from the history.
const wideScreen = window.matchMedia("(min-width: 48rem)");
function openFilterPanelsWhenWide() {
  document.querySelectorAll("details[data-open-when-wide]").forEach((panel) => {
    panel.open = wideScreen.matches;
  });
}
document.addEventListener("DOMContentLoaded", openFilterPanelsWhenWide);
document.addEventListener("htmx:historyRestore", openFilterPanelsWhenWide);
wideScreen.addEventListener("change", openFilterPanelsWhenWide);
