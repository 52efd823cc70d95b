// "Copy for WeChat": the greeting's text to the clipboard; the rep then confirms they sent it.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".copy-greeting");
  if (!button) return;
  const source = document.getElementById(button.dataset.copyTarget);
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.innerText).then(() => {
    button.classList.replace("btn-outline-success", "btn-success");
  });
});
