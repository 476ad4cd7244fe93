// Ask before anything destructive: any form or button with data-confirm.
document.addEventListener("submit", function (event) {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// A long list of checkboxes (the meeting's invitees): a search box hides what does not
// match by name or group, and each group can be ticked or cleared at once.
document.addEventListener("input", function (event) {
  const box = event.target.closest("[data-picker-filter]");
  if (!box) return;
  const picker = document.getElementById(box.getAttribute("data-picker-filter"));
  const words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  picker.querySelectorAll("[data-picker-group]").forEach(function (group) {
    const groupName = (group.getAttribute("data-picker-group") || "").toLowerCase();
    let shown = 0;
    group.querySelectorAll(".form-check").forEach(function (item) {
      const text = (groupName + " " + item.textContent).toLowerCase();
      const match = words.every(function (word) { return text.includes(word); });
      item.hidden = !match;
      if (match) shown += 1;
    });
    group.closest("[data-picker-cell]").hidden = shown === 0;
  });
});
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-check-group]");
  if (!button) return;
  event.preventDefault();
  const group = button.closest("[data-picker-group]");
  const tick = button.getAttribute("data-check-group") === "all";
  group.querySelectorAll(".form-check:not([hidden]) input[type=checkbox]").forEach(function (input) {
    input.checked = tick;
  });
});
