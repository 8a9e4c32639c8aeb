// The ledger's verification page: plain DOM, no framework, no third-party code, nothing loaded from another origin.
// Every value from the server or the uploaded file is written with textContent, never as HTML. The parts:
// verify-overview.js (picture, verdict, label, facts), verify-checks.js (the six checks), verify-details.js (every field),
// verify-copy.js (copy buttons), verify-format.js (shared helpers).
import { $, element } from "./verify-format.js";
import { renderFacts, renderPreview, renderVerdict } from "./verify-overview.js";
import { checksList, checksOf } from "./verify-checks.js";
import { detailSections } from "./verify-details.js";

function setBusy(busy, message) {
  for (const button of document.querySelectorAll("form button")) button.disabled = busy;
  const status = $("status");
  status.className = "";
  status.textContent = message ?? "";
}

function showError(message) {
  $("result").hidden = true;
  const status = $("status");
  status.className = "error";
  status.textContent = message;
}

// The API's own words (ProblemDetails title and detail); the bare status only when the body is not
// a problem (a proxy's error page, an empty 429).
function problemText(response, body) {
  const title = typeof body?.title === "string" ? body.title : null;
  const detail = typeof body?.detail === "string" ? body.detail : null;
  if (title && detail) return `${title}: ${detail}`;
  return title ?? detail ?? `The ledger answered ${response.status} ${response.statusText}`.trim();
}

// `file` is what was uploaded (shown beside the verdict), null when only a hash was asked about.
async function request(url, init, file) {
  // The previous answer must not stay on screen next to a new question.
  $("result").hidden = true;
  setBusy(true, "Checking…");
  let response;
  let body;
  try {
    response = await fetch(url, init);
    body = await response.json().catch(() => null);
  } catch (e) {
    showError(`The ledger could not be reached: ${e.message}`);
    return;
  } finally {
    for (const button of document.querySelectorAll("form button")) button.disabled = false;
  }

  if (!response.ok) return showError(problemText(response, body));
  if (body === null) return showError("The ledger's answer could not be read.");
  // Rendering stays outside the try: a bug here must surface as a script error, not pass for a network failure.
  setBusy(false);
  await render(body, file);
}

async function render(result, file) {
  renderVerdict(result);
  await renderPreview(file);
  renderFacts(result);
  $("checks-area").replaceChildren(checksList(checksOf(result, file === null)));
  $("copy-status").textContent = "";
  $("details").replaceChildren(...detailSections(result));
  $("result").hidden = false;
  // Moves keyboard and screen-reader users to the answer, which appears below the forms, and brings the answer's top to the
  // top of the window: on a phone the verdict, its label and the picture are what one sees without scrolling.
  $("verdict").focus({ preventScroll: true });
  $("result").scrollIntoView({ block: "start" });
}

function verifyFile(file) {
  if (!file) return showError("Choose a file first.");
  const form = new FormData();
  form.append("file", file);
  request("api/verify", { method: "POST", body: form }, file);
}

// What people paste: 0x-prefixed or bare, any case, spaces around, or a whole `sha256sum` line ("<hash>  <file>").
const sha256Input = /^\s*(?:0x)?([0-9a-f]{64})(?:\s+\*?\S.*?)?\s*$/i;

// A file dropped anywhere on the page is verified; without this the browser would open the file and leave the page.
const carriesFiles = (event) => Array.from(event.dataTransfer?.types ?? []).includes("Files");

function start() {
  $("file-form").addEventListener("submit", (event) => {
    event.preventDefault();
    verifyFile($("file").files[0]);
  });

  $("hash-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const match = sha256Input.exec($("hash").value);
    if (!match) return showError("A SHA-256 is 64 hex digits (optionally 0x-prefixed), or a line printed by sha256sum.");
    request(`api/verify/0x${match[1].toLowerCase()}`, undefined, null);
  });

  document.addEventListener("dragover", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    document.body.classList.add("dropping");
  });

  document.addEventListener("dragleave", (event) => {
    // relatedTarget is null only when the pointer leaves the window, not when it crosses inner elements.
    if (event.relatedTarget === null) document.body.classList.remove("dropping");
  });

  document.addEventListener("drop", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    document.body.classList.remove("dropping");
    if (event.dataTransfer.files.length !== 1) return showError("Drop one file at a time.");
    $("file").files = event.dataTransfer.files;
    $("file-form").requestSubmit();
  });
}

// Framed by another site, the page could be dressed up to make a visitor drop a private file or read a verdict out of
// context (clickjacking): it then offers only a link to itself in its own tab. The server's frame-ancestors header is the
// real defence; this covers a deployment without it.
function framed() {
  try {
    return window.top !== window.self;
  } catch {
    return true;
  }
}

if (framed()) {
  const link = element("a", null, "Open the verification page in its own tab");
  link.href = window.location.href;
  link.target = "_blank";
  link.rel = "noopener";
  const main = document.querySelector("main");
  main.replaceChildren(element("h1", null, "This page cannot be shown inside another site"), link);
} else {
  start();
}
