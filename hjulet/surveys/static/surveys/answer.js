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
  };
  form.addEventListener("change", () => {
    clearTimeout(pending);
    pending = setTimeout(refresh, 150);
  });
});
