// Copy buttons: a shortened value on screen, the whole value on hover (title) and on the clipboard.
import { element, shortHex } from "./verify-format.js";

// The clipboard API needs a secure context (https, or localhost); a phone reaching the ledger by its LAN address over
// plain http has none, so the old selection copy is the fallback there.
async function writeClipboard(text) {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Denied or unavailable: fall through to the selection copy.
    }
  }
  const area = element("textarea", "offscreen");
  area.value = text;
  area.setAttribute("readonly", "");
  document.body.append(area);
  area.select();
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } catch {
    copied = false;
  }
  area.remove();
  return copied;
}

/**
 * A value with a copy button: the short form shown (the full one in its title, selectable on a long press), the full
 * form copied. `what` names the value for the button's accessible name ("Copy transaction hash").
 */
export function copyable(value, what, shown) {
  const full = String(value);
  const wrapper = element("span", "copyable");
  const code = element("code", "value", shown ?? shortHex(full));
  code.title = full;
  const button = element("button", "copy", "Copy");
  button.type = "button";
  button.setAttribute("aria-label", `Copy ${what}`);
  button.dataset.value = full;
  button.addEventListener("click", async () => {
    const copied = await writeClipboard(full);
    button.textContent = copied ? "Copied" : "Select and copy";
    button.classList.toggle("done", copied);
    if (!copied) selectText(code, full);
    const status = document.getElementById("copy-status");
    if (status) status.textContent = copied ? `${what} copied` : `${what} could not be copied: it is selected, copy it by hand`;
  });
  wrapper.append(code, button);
  return wrapper;
}

// Without a clipboard the full value is put in place of the short one and selected, so that the system's own copy works.
function selectText(code, full) {
  code.textContent = full;
  const range = document.createRange();
  range.selectNodeContents(code);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}
