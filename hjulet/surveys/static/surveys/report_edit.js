// After htmx has added a block in place, move the focus where the reader's attention is: the
// error summary when the block was refused, else the new block's heading (the status line
// announces it).
document.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail.target.id !== "report-builder") return;
  const builder = document.getElementById("report-builder");
  const errors = builder.querySelector("#error-summary");
  const headings = builder.querySelectorAll(".report-block h2");
  const target = errors || headings[headings.length - 1];
  if (!target) return;
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus();
});
