// Show only the questions whose conditions hold for the answers so far. The server decides
// with the same evaluator (and ignores answers to hidden questions), so this is a convenience.
// Progress: how many of the questions shown have an answer (the server gives the first figure).
const updateProgress = (form) => {
  const bar = document.getElementById("progress-bar");
  const text = document.getElementById("progress-text");
  if (!bar || !text) return;
  let total = 0;
  let answered = 0;
  for (const block of form.querySelectorAll(".survey-question")) {
    if (block.hidden) continue;
    const fields = block.querySelectorAll("input, select, textarea");
    if (!fields.length) continue;
    total += 1;
    const done = [...fields].some((field) =>
      field.type === "radio" || field.type === "checkbox" ? field.checked : field.value.trim() !== "",
    );
    if (done) answered += 1;
  }
  bar.max = Math.max(total, 1);
  bar.value = answered;
  bar.textContent = `${answered}/${total}`;
  text.textContent = bar.dataset.template.replace("{answered}", answered).replace("{total}", total);
};

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("answer-form");
  if (!form || !form.dataset.conditionsUrl) return;
  form.addEventListener("input", () => updateProgress(form));
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
    // Choice filters: show only the options allowed by the answers so far, by the
    // choice's id (two choices in one list may share a value).
    for (const [name, allowed] of Object.entries(data.choice_ids || {})) {
      const block = document.getElementById(`q-${name}`);
      if (!block) continue;
      const ids = allowed.map(String);
      for (const label of block.querySelectorAll("label[data-choice-id]")) {
        const ok = ids.includes(label.dataset.choiceId);
        label.hidden = !ok;
        if (!ok) label.querySelector("input").checked = false;
      }
      for (const option of block.querySelectorAll("option[data-choice-id]")) {
        const ok = ids.includes(option.dataset.choiceId);
        option.hidden = !ok;
        option.disabled = !ok;
        if (!ok && option.selected) option.selected = false;
      }
    }
    updateProgress(form);
  };
  form.addEventListener("change", () => {
    clearTimeout(pending);
    pending = setTimeout(refresh, 150);
  });
});
