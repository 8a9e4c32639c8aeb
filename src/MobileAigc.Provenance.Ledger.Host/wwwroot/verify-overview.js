// The top of an answer: the uploaded picture (or text excerpt) beside the verdict badge and the "AI-generated"
// label, then who made it and when, with copy buttons for the hashes.
import { $, element, hostOf, readableTime } from "./verify-format.js";
import { copyable } from "./verify-copy.js";

const verdictText = {
  "verified": "Verified",
  "modified-but-traced": "Modified, but traced",
  "unknown": "Unknown",
  "revoked": "Revoked",
  "signature-invalid": "Signature invalid",
  "content-mismatch": "Contradicts its record",
};

// The badge says its verdict in words and with a sign: colour is never the only cue.
const verdictSign = {
  "verified": "✓",
  "modified-but-traced": "≈",
  "unknown": "?",
};

// What the label may claim: "AI-generated" only when a valid record (or a node's watermark) says so and nothing contradicts it.
const labelOf = {
  "verified": ["AI-generated", "ai"],
  "modified-but-traced": ["AI-generated", "ai"],
  "unknown": ["No AI-generation record found", "none"],
};
const doubtfulLabel = ["Claimed AI-generated: the claim does not hold", "doubt"];

/** Writes the verdict badge, the label and the summary. */
export function renderVerdict(result) {
  const verdict = $("verdict");
  verdict.className = `verdict ${result.verdict}`;
  const sign = element("span", "verdict-sign", verdictSign[result.verdict] ?? "✗");
  sign.setAttribute("aria-hidden", "true");
  verdict.replaceChildren(sign, element("span", null, verdictText[result.verdict] ?? result.verdict));
  const [label, kind] = labelOf[result.verdict] ?? doubtfulLabel;
  const aiLabel = $("ai-label");
  aiLabel.className = `ai-label ${kind}`;
  aiLabel.textContent = label;
  $("summary").textContent = result.summary;
}

let previewUrl = null;

/** Shows the uploaded file: a picture as itself, a text as its opening lines; nothing for a hash. */
export async function renderPreview(file) {
  const figure = $("preview");
  const image = $("preview-image");
  const excerpt = $("preview-text");
  if (previewUrl) URL.revokeObjectURL(previewUrl);
  previewUrl = null;
  image.hidden = true;
  image.removeAttribute("src");
  excerpt.hidden = true;
  figure.hidden = true;
  if (!file) return;
  const name = file.name || "the file";
  if (file.type.startsWith("image/") || /\.(png|jpe?g|webp)$/i.test(file.name)) {
    // A blob: URL of the file already in the browser: showing it sends nothing anywhere.
    previewUrl = URL.createObjectURL(file);
    image.src = previewUrl;
    image.alt = `The uploaded picture, ${name}`;
    image.hidden = false;
    $("preview-caption").textContent = name;
    figure.hidden = false;
  } else if (file.type.startsWith("text/") || /\.txt$/i.test(file.name)) {
    const text = await file.slice(0, 4096).text();
    excerpt.textContent = text.length > 600 ? `${text.slice(0, 600).trimEnd()}…` : text;
    excerpt.hidden = false;
    $("preview-caption").textContent = `The opening of ${name}`;
    figure.hidden = false;
  }
}

function fact(name, value) {
  if (value === null || value === undefined || value === "") return [];
  const dd = element("dd");
  if (value instanceof Node) dd.append(value);
  else dd.textContent = String(value);
  return [element("dt", null, name), dd];
}

// A name beside the value it stands for (shortened, with its copy button); the value alone when there is no name.
function named(name, title, value) {
  if (!name) return value;
  const span = element("span", "named");
  const label = element("span", "name", name);
  label.title = title;
  span.append(label, value);
  return span;
}

// The node by the name its operator advertised (the endpoint's host), its address beside it.
const nodeName = (node) => named(node.endpoint ? hostOf(node.endpoint) : null, node.endpoint, copyable(node.address, "node address"));

// The model by the name of the manifest the ledger holds for its hash, the hash beside it.
const modelName = (model) => named(model.name, `${model.name}, model hash ${model.modelHash}`, copyable(model.modelHash, "model hash"));

const unknownToMirror = "not in the registry mirror yet";

// The ProvenanceLedger the record is signed for and anchored on; a previous one is said to be previous (after an upgrade).
const deploymentName = (deployment) => deployment
  ? named(deployment.current ? null : "previous deployment", `ProvenanceLedger ${deployment.provenanceLedger} on chain ${deployment.chainId}`,
    copyable(deployment.provenanceLedger, "ProvenanceLedger address"))
  : null;

/** The facts at a glance: model and owner, node and provider, times, transaction and block, the hashes to copy. */
export function renderFacts(result) {
  const record = result.record;
  const inclusion = result.anchoring?.inclusion;
  const model = result.model;
  const node = result.node;
  const list = $("facts");
  list.replaceChildren(
    ...fact("Model", model ? modelName(model) : null),
    ...fact("Model owner", model ? (model.owner ? copyable(model.owner, "model owner's address") : unknownToMirror) : null),
    ...fact("Node", node ? nodeName(node) : null),
    ...fact("Provider (node operator)", node ? (node.operator ? copyable(node.operator, "provider's address") : unknownToMirror) : null),
    ...fact("Signed at", record ? readableTime(record.signedAt ?? record.record?.timestamp) : null),
    ...fact("Anchored at", record ? readableTime(record.anchoredAt) ?? "not anchored yet" : null),
    ...fact("Transaction", inclusion?.batch.transactionHash ? copyable(inclusion.batch.transactionHash, "transaction hash") : null),
    ...fact("Block", inclusion?.batch.blockNumber),
    ...fact("Contract", deploymentName(result.anchoring?.deployment)),
    ...fact("Record digest", record ? copyable(record.digest, "record digest") : null),
    ...fact("Content hash", copyable(result.contentHash, "content hash")),
    ...fact("Merkle root", inclusion ? copyable(inclusion.root, "Merkle root") : null),
  );
}
