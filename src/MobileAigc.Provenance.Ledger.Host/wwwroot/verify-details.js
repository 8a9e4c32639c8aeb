// The full answer, section by section (content, record, node, model, model lineage, claims, signature, anchoring, lineage,
// Content Credentials, revocation): every field the API gives, labelled.
import { element, isoTime } from "./verify-format.js";

const claimText = {
  "agrees": "agrees with the file",
  "disagrees": "FALSE: the file says otherwise",
  "not-checked": "not checked",
};

const matchText = {
  "content-hash": "exact bytes (SHA-256)",
  "image-watermark": "image watermark",
  "perceptual-hash": "perceptual hash",
  "pdq": "PDQ hash (a similar picture, turned or mirrored copies included)",
  "text-watermark": "text watermark",
};

// An exact match by the hash its node signed for the file it delivered (credentials included), not by the record's content hash.
const deliveredFileText = "exact bytes of the file its node delivered (SHA-256, Content Credentials included)";

/** How the answer found its record, in words. */
export const foundBy = (match) => (match ? (match.matchedBy === "delivered-file" ? deliveredFileText : matchText[match.method] ?? match.method) : null);

function section(title, rows) {
  const present = rows.filter(([, value]) => value !== null && value !== undefined && value !== "");
  if (present.length === 0) return null;
  const fragment = document.createDocumentFragment();
  const dl = document.createElement("dl");
  for (const [name, value, cls] of present) {
    const dd = document.createElement("dd");
    if (value instanceof Node) dd.append(value);
    else dd.textContent = typeof value === "boolean" ? (value ? "yes" : "no") : String(value);
    if (cls) dd.className = cls;
    dl.append(element("dt", null, name), dd);
  }
  fragment.append(element("h3", null, title), dl);
  return fragment;
}

const yesNo = (value) => (value ? "yes" : "no");
// How the record names its creator: an address is shown only with how it was proven.
const creatorAuthentication = {
  None: "none named",
  PrivateCommitment: "private (a commitment naming nobody until the creator opens it)",
  CreatorSignature: "signed the request",
  ChannelVoucher: "paid through their channel (voucher signer)",
};

const creatorText = (record, check) => {
  if (!record) return null;
  const how = check ? creatorAuthentication[check.authentication] ?? check.authentication : null;
  if (!check || check.authentication === "None" || check.authentication === "PrivateCommitment") return how;
  return `${record.creator} (${how})`;
};
const claim = (check) => `${claimText[check.outcome] ?? check.outcome}. ${check.detail}`;
const claimClass = (check) => ({ "agrees": "yes", "disagrees": "no" })[check.outcome] ?? null;

const stateClass = { Trusted: "yes", Valid: "yes", Invalid: "no" };
const statusText = (statuses) => statuses.map((s) => s.code + (s.explanation ? ` (${s.explanation})` : "")).join("; ");

// A record digest as a link to the record on this ledger (api/records/{digest}); anything else is left as text.
function recordLink(digest) {
  if (typeof digest !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(digest)) return digest;
  const link = element("a", null, digest);
  link.href = `api/records/${digest}`;
  return link;
}

// The record the credentials name; when they do not validate, the name is only what a file says, and the row says so.
function namedRecord(digest, state) {
  const link = recordLink(digest);
  if (state !== "Invalid") return link;
  const span = document.createElement("span");
  span.append(link, " (named by credentials that do not validate: only what the file says)");
  return span;
}

function credentialsRows(credentials) {
  if (!credentials) return [];
  const rows = [["Asset SHA-256 (without the manifest store)", credentials.assetHash]];
  if (!credentials.present) return [...rows, ["Credentials", "none: the file carries no C2PA manifest store"]];
  const record = credentials.record;
  return [
    ...rows,
    ["Validation state", credentials.state, stateClass[credentials.state]],
    ["Active manifest", credentials.activeManifest],
    ["Signer", credentials.signer ? `${credentials.signer.subject}, issued by ${credentials.signer.issuer}` : null],
    ["Signer's node", credentials.signer ? credentials.signer.binding : null, credentials.signer?.boundNode ? "yes" : null],
    ["Claim generator", credentials.claimGenerator],
    ["Actions", credentials.actions.map((a) => a.action + (a.digitalSourceType ? ` (${a.digitalSourceType})` : "") + (a.softwareAgent ? ` by ${a.softwareAgent}` : "")).join("; ")],
    ["Soft bindings", credentials.softBindings.map((b) => `${b.algorithm} ${b.value ?? ""}`).join("; ")],
    ["Ingredients", credentials.ingredients.map((i) => `${i.relationship ?? "?"}: ${i.title ?? "untitled"}${i.manifestLabel ? ` (${i.state})` : " (no manifest)"}`).join("; ")],
    ["Record named", record?.recordDigest ? namedRecord(record.recordDigest, credentials.state) : null, credentials.state === "Invalid" ? "no" : null],
    ["Contradicts the record", record && record.problems.length > 0 ? record.problems.join(" ") : null, "no"],
    ["Success", statusText(credentials.success)],
    ["Informational", statusText(credentials.informational)],
    ["Failure", statusText(credentials.failure), credentials.failure.length > 0 ? "no" : null],
  ];
}

// A derivative model's lineage: the model that made the content first, its root last (the registry fixes each parent at
// registration; every payment for the derivative pays each of these owners its royalty).
function lineageRole(model, count) {
  if (model.depth === 0) return "Derivative (made this content)";
  if (model.depth === count - 1) return `Root (depth ${model.depth})`;
  return model.depth === 1 ? "Parent (depth 1)" : `Ancestor (depth ${model.depth})`;
}

function modelLineageRows(lineage) {
  if (!lineage || lineage.length === 0) return [];
  return lineage.map((model) => [
    lineageRole(model, lineage.length),
    `${model.name ? `${model.name} ` : ""}${model.modelHash} · owner ${model.owner} · royalty ${model.royaltyBasisPoints / 100} %`
      + (model.active ? "" : " · inactive"),
  ]);
}

/** Every section of the answer that has something to say, in order. */
export function detailSections(result) {
  const match = result.match;
  const textWatermark = match?.textWatermark;
  const record = result.record?.record;
  const anchoring = result.anchoring;
  const inclusion = anchoring?.inclusion;
  return [
    section("Content", [
      ["SHA-256", result.contentHash],
      ["Found by", foundBy(match)],
      ["Hamming distance", match?.hammingDistance != null ? `${match.hammingDistance} of 256 bits (threshold ${match.threshold})` : null],
      ["Watermark confidence", match?.watermarkConfidence != null ? match.watermarkConfidence.toFixed(2) : null],
      ["Text watermark", textWatermark ? `${textWatermark.greenTokens} of ${textWatermark.scoredTokens} tokens on the green list, z = ${textWatermark.zScore.toFixed(2)}` : null],
      ["Chance without a watermark", textWatermark ? textWatermark.adjustedPValue.toExponential(1) : null],
    ]),
    section("Record", [
      ["Record id (digest)", result.record?.digest],
      // Signed at is the node's claim (bounded by the ledger's clock on receipt); anchored at is the chain's block time, the proof.
      ["Signed at (node's claim)", isoTime(record?.timestamp)],
      ["Anchored at (block time)", result.record ? result.record.anchoredAt ?? "not anchored yet" : null],
      ["Creator", creatorText(record, result.record?.creator)],
      ["Creator proof", result.record?.creator ? `${result.record.creator.valid ? "holds" : "fails"}: ${result.record.creator.detail}` : null],
      ["Record version", record?.version],
      ["Prompt commitment", record?.promptCommitment],
      ["Watermark id", record?.watermarkId],
      ["Received by the ledger", result.record?.receivedAt],
    ]),
    section("Node", [
      ["Signing address", result.node?.address],
      ["Operator", result.node?.operator ?? (result.node ? "not in the registry mirror yet" : null)],
      ["Registered", result.node?.registered != null ? yesNo(result.node.registered) : null],
      ["Endpoint (advertised by its operator)", result.node?.endpoint],
    ]),
    section("Model", [
      ["Name (from its manifest)", result.model?.name],
      ["Model hash", result.model?.modelHash],
      ["Owner", result.model?.owner],
      ["Terms", result.model?.metadataUri],
      ["Royalty", result.model?.royaltyBasisPoints != null ? `${result.model.royaltyBasisPoints / 100} %` : null],
    ]),
    section("Model lineage (derivative → parent → root)", modelLineageRows(result.modelLineage)),
    section("Claims re-checked from the file", result.claims ? [
      ["Perceptual hash", claim(result.claims.perceptualHash), claimClass(result.claims.perceptualHash)],
      ["Watermark", claim(result.claims.watermark), claimClass(result.claims.watermark)],
    ] : []),
    section("Signature", result.signature ? [
      ["Valid", result.signature.valid, result.signature.valid ? "yes" : "no"],
      ["Recovered signer", result.signature.recoveredSigner],
      ["Detail", result.signature.detail],
    ] : []),
    section("Anchoring", anchoring ? [
      // The API capitalises batch states (Planned, Submitted, Anchored); the page writes them in lower case like its other words.
      ["State", inclusion.batch.state.toLowerCase()],
      ["Merkle root", inclusion.root],
      ["Ledger sequence", inclusion.ledgerSequence],
      // An empty proof is not a missing one: a batch of one record has its digest as the root.
      ["Proof (leaf to root)", inclusion.proof.length > 0 ? inclusion.proof.join(" ") : "none needed (only record in its batch)"],
      ["Proof checks locally", anchoring.proofValid, anchoring.proofValid ? "yes" : "no"],
      ["Transaction", inclusion.batch.transactionHash],
      ["Block", inclusion.batch.blockNumber],
      ["Anchored by", anchoring.anchorer],
      ["Root checked on chain", anchoring.rootCheckedOnChain, anchoring.rootCheckedOnChain ? "yes" : "no"],
      // A final root is read once and kept: the reading's block and time say how old the check is.
      ["Root read at", anchoring.rootChecked ? `block ${anchoring.rootChecked.block}, ${anchoring.rootChecked.checkedAt}`
        + (anchoring.rootChecked.final ? " (final: kept, not read again)" : " (not final yet: read again at every request)") : null],
      ["Chain said", anchoring.onChainDetail],
    ] : result.record ? [["State", "waiting to be anchored"]] : []),
    // The chain of derivations: each parent is its child's node's signed claim (docs/lineage.md).
    section("Derived from (parent first)", result.lineage ? [
      ...result.lineage.ancestors.map((a) => [
        `Generation ${a.generation}`,
        a.known ? `${a.digest} (content ${a.contentHash}, node ${a.node}${a.revoked ? ", revoked" : ""})` : `${a.digest} (not in this ledger)`,
        a.known && !a.revoked ? null : "no",
      ]),
      ["Chain ends", result.lineage.detail],
    ] : []),
    // Content Credentials (C2PA) read from the uploaded image: what the file says of itself, checked by the ledger.
    section("Content Credentials (C2PA)", credentialsRows(result.credentials)),
    section("Revocation", result.revocation ? [
      ["Revoked at", result.revocation.revokedAt],
      ["Reason", result.revocation.reason],
    ] : []),
  ].filter((part) => part !== null);
}
