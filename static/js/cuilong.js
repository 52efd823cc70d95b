// Cuilong CRM's own scripts. htmx sends the CSRF token from <body hx-headers>.

// A form that fails validation answers 400 (or 422) with the form and its errors: swap it in,
// so the user sees what to fix. htmx 2 would otherwise drop 4xx responses silently.
htmx.config.responseHandling = [
  { code: "204", swap: false },
  { code: "[23]..", swap: true },
  { code: "40[0]|422", swap: true, error: false },
  { code: "[45]..", swap: false, error: true },
  { code: "...", swap: false },
];

// "/" anywhere but in a field jumps to the search box; Escape closes its suggestions.
document.addEventListener("keydown", (event) => {
  const box = document.getElementById("nav-search");
  if (!box) return;
  const typing = event.target.closest("input, textarea, select, [contenteditable]");
  if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    const menu = document.getElementById("main-nav");
    if (menu && !menu.classList.contains("show") && getComputedStyle(box).display === "none") {
      bootstrap.Collapse.getOrCreateInstance(menu).show();
    }
    box.focus();
    box.select();
  } else if (event.key === "Escape" && event.target === box) {
    document.getElementById("nav-search-results").innerHTML = "";
  }
});

// The bulk bar of the lists (bulk/): the page's box ticks every row, the bar counts the chosen.
document.addEventListener("change", (event) => {
  const bar = document.getElementById("bulk");
  if (!bar || !event.target.closest("#bulk, [form='bulk'], [data-bulk-page]")) return;
  const rows = [...document.querySelectorAll("input[name='id'][form='bulk']")];
  if (event.target.matches("[data-bulk-page]")) {
    rows.forEach((box) => { box.checked = event.target.checked; });
  }
  const everything = bar.querySelector("input[name='all']").checked;
  const chosen = everything ? Number(bar.dataset.bulkTotal) : rows.filter((box) => box.checked).length;
  bar.querySelector("[data-bulk-count]").textContent = chosen;
});
