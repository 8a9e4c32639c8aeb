// The ledger's verification page: plain DOM, no framework, no third-party code.
// Every value from the server is written with textContent, never as HTML.
"use strict";

const verdictText = {
  "verified": "Verified",
  "modified-but-traced": "Modified, but traced",
  "unknown": "Unknown",
  "revoked": "Revoked",
  "signature-invalid": "Signature invalid",
};

const matchText = {
  "content-hash": "exact bytes (SHA-256)",
  "image-watermark": "image watermark",
  "perceptual-hash": "perceptual hash",
};

const $ = (id) => document.getElementById(id);

function setBusy(busy, message) {
  for (const button of document.querySelectorAll("button")) button.disabled = busy;
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

async function request(url, init) {
  setBusy(true, "Checking…");
  try {
    const response = await fetch(url, init);
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = body?.detail ?? body?.title ?? response.statusText;
      showError(`${response.status}: ${detail}`);
      return;
    }
    setBusy(false);
    render(body);
  } catch (e) {
    showError(`The ledger could not be reached: ${e.message}`);
  } finally {
    for (const button of document.querySelectorAll("button")) button.disabled = false;
  }
}

function section(title, rows) {
  const present = rows.filter(([, value]) => value !== null && value !== undefined && value !== "");
  if (present.length === 0) return null;
  const fragment = document.createDocumentFragment();
  const h2 = document.createElement("h2");
  h2.textContent = title;
  const dl = document.createElement("dl");
  for (const [name, value, cls] of present) {
    const dt = document.createElement("dt");
    dt.textContent = name;
    const dd = document.createElement("dd");
    dd.textContent = typeof value === "boolean" ? (value ? "yes" : "no") : String(value);
    if (cls) dd.className = cls;
    dl.append(dt, dd);
  }
  fragment.append(h2, dl);
  return fragment;
}

const yesNo = (value) => (value ? "yes" : "no");
const time = (unixSeconds) => (unixSeconds ? new Date(Number(unixSeconds) * 1000).toISOString() : null);

function render(result) {
  $("result").hidden = false;
  const verdict = $("verdict");
  verdict.className = `verdict ${result.verdict}`;
  verdict.textContent = verdictText[result.verdict] ?? result.verdict;
  $("summary").textContent = result.summary;

  const details = $("details");
  details.replaceChildren();
  const match = result.match;
  const record = result.record?.record;
  const anchoring = result.anchoring;
  const parts = [
    section("Content", [
      ["SHA-256", result.contentHash],
      ["Found by", match ? matchText[match.method] ?? match.method : null],
      ["Hamming distance", match?.hammingDistance != null ? `${match.hammingDistance} of 256 bits (threshold ${match.threshold})` : null],
      ["Watermark confidence", match?.watermarkConfidence != null ? match.watermarkConfidence.toFixed(2) : null],
    ]),
    section("Record", [
      ["Record id (digest)", result.record?.digest],
      ["Generated at", time(record?.timestamp)],
      ["Creator", record?.creator],
      ["Prompt commitment", record?.promptCommitment],
      ["Watermark id", record?.watermarkId],
      ["Received by the ledger", result.record?.receivedAt],
    ]),
    section("Node", [
      ["Signing address", result.node?.address],
      ["Operator", result.node?.operator ?? (result.node ? "not in the registry mirror yet" : null)],
      ["Registered", result.node?.registered != null ? yesNo(result.node.registered) : null],
    ]),
    section("Model", [
      ["Model hash", result.model?.modelHash],
      ["Owner", result.model?.owner],
      ["Terms", result.model?.metadataUri],
      ["Royalty", result.model?.royaltyBasisPoints != null ? `${result.model.royaltyBasisPoints / 100} %` : null],
    ]),
    section("Signature", result.signature ? [
      ["Valid", result.signature.valid, result.signature.valid ? "yes" : "no"],
      ["Recovered signer", result.signature.recoveredSigner],
      ["Detail", result.signature.detail],
    ] : []),
    section("Anchoring", anchoring ? [
      ["State", anchoring.state],
      ["Merkle root", anchoring.root],
      ["Ledger sequence", anchoring.ledgerSequence],
      ["Proof (leaf to root)", anchoring.proof.join(" ")],
      ["Proof checks locally", anchoring.proofValid, anchoring.proofValid ? "yes" : "no"],
      ["Transaction", anchoring.transactionHash],
      ["Block", anchoring.blockNumber],
      ["Root re-checked on chain now", anchoring.rootCheckedOnChain, anchoring.rootCheckedOnChain ? "yes" : "no"],
      ["Chain said", anchoring.onChainDetail],
    ] : result.record ? [["State", "waiting to be anchored"]] : []),
    section("Revocation", result.revocation ? [
      ["Revoked at", result.revocation.revokedAt],
      ["Reason", result.revocation.reason],
    ] : []),
  ];
  for (const part of parts) if (part) details.append(part);
}

$("file-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const file = $("file").files[0];
  if (!file) return showError("Choose a file first.");
  const form = new FormData();
  form.append("file", file);
  request("api/verify", { method: "POST", body: form });
});

$("hash-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const hash = $("hash").value.trim();
  if (!/^(0x)?[0-9a-fA-F]{64}$/.test(hash)) return showError("A SHA-256 is 64 hex digits (optionally 0x-prefixed).");
  request(`api/verify/${encodeURIComponent(hash)}`);
});
