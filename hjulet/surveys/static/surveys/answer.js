// Show only the questions whose conditions hold for the answers so far. The server decides
// with the same evaluator (and ignores answers to hidden questions), so this is a convenience.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("answer-form");
  if (!form || !form.dataset.conditionsUrl) return;
  let pending = null;
  const refresh = async () => {
    const response = await fetch(form.dataset.conditionsUrl, { method: "POST", body: new FormData(form) });
    if (!response.ok) return;
    const data = await response.json();
    for (const name of data.shown) {
      const block = document.getElementById(`q-${name}`);
      if (block) block.hidden = false;
    }
    for (const name of data.hidden) {
      const block = document.getElementById(`q-${name}`);
      if (block) block.hidden = true;
    }
    // Choice filters: show only the options allowed by the answers so far.
    for (const [name, allowed] of Object.entries(data.choices || {})) {
      const block = document.getElementById(`q-${name}`);
      if (!block) continue;
      for (const label of block.querySelectorAll("label[data-choice]")) {
        const ok = allowed.includes(label.dataset.choice);
        label.hidden = !ok;
        if (!ok) label.querySelector("input").checked = false;
      }
      for (const option of block.querySelectorAll("option[value]:not([value=''])")) {
        const ok = allowed.includes(option.value);
        option.hidden = !ok;
        option.disabled = !ok;
        if (!ok && option.selected) option.selected = false;
      }
    }
  };
  form.addEventListener("change", () => {
    clearTimeout(pending);
    pending = setTimeout(refresh, 150);
  });
});
