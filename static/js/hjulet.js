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

// The main menu on a phone (below 48rem): the search box and the links fold behind the
// "Menu" button. Without JavaScript the button stays hidden and the menu stays open, so
// every page is still reachable. Escape closes the menu and puts focus back on the button.
const menuNarrow = window.matchMedia("(max-width: 47.99rem)");
function setUpMenu() {
  const toggle = document.querySelector(".menu-toggle[aria-controls]");
  const menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (!menu) return;
  const header = toggle.closest(".site-header");
  const setOpen = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    header.classList.toggle("menu-open", open);
  };
  toggle.hidden = false;
  header.classList.add("menu-collapsible");
  setOpen(false);
  // Focus stays on the button; the menu follows it, so the next Tab enters the menu.
  toggle.addEventListener("click", () => {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true") return;
    if (!menuNarrow.matches) return;
    setOpen(false);
    toggle.focus();
  });
  // Tabbing out of the open menu (past its last link) closes it on a phone.
  menu.addEventListener("focusout", (event) => {
    if (menuNarrow.matches && event.relatedTarget && !header.contains(event.relatedTarget)) {
      setOpen(false);
    }
  });
  menuNarrow.addEventListener("change", () => setOpen(false));
}
document.addEventListener("DOMContentLoaded", setUpMenu);
