// The six checks a verdict rests on, each passed, failed or not checked with its reason, worded from the API's answer.
// The page claims nothing the answer does not say: a check the ledger could not make is "not checked", never "passed".
import { element } from "./verify-format.js";

const PASSED = "passed";
const FAILED = "failed";
const NOT_CHECKED = "not-checked";

const stateWords = { [PASSED]: "passed", [FAILED]: "failed", [NOT_CHECKED]: "not checked" };
// The state is told by a word and a sign, not by colour alone.
const stateSigns = { [PASSED]: "✓", [FAILED]: "✗", [NOT_CHECKED]: "–" };
const fromOutcome = { "agrees": PASSED, "disagrees": FAILED, "not-checked": NOT_CHECKED };

const nothingFound = "Nothing in this ledger matches the content: there is no record to check against.";

/** The checks of an answer, in the order the page lists them. `byHash` is true when only a hash was asked about. */
export function checksOf(result, byHash) {
  const found = result.verdict !== "unknown";
  const noRecord = found
    ? "The content was traced to a node and model, not to one record: there is no record to check against."
    : nothingFound;
  return [
    { name: "Signature", ...signature(result, noRecord) },
    { name: "Merkle proof", ...proof(result, noRecord) },
    { name: "On-chain root", ...onChain(result, noRecord) },
    { name: "Credentials", ...credentials(result, byHash) },
    { name: "Watermark", ...watermark(result, byHash, found) },
    { name: "Perceptual hash", ...perceptualHash(result, byHash, found) },
  ];
}

function signature(result, noRecord) {
  const check = result.signature;
  if (!check) return { state: NOT_CHECKED, reason: noRecord };
  return { state: check.valid ? PASSED : FAILED, reason: check.detail };
}

function proof(result, noRecord) {
  const anchoring = result.anchoring;
  if (!anchoring) {
    return result.record
      ? { state: NOT_CHECKED, reason: "The record waits for its anchoring batch: it has no Merkle proof yet." }
      : { state: NOT_CHECKED, reason: noRecord };
  }
  const steps = anchoring.inclusion.proof.length;
  const path = steps === 0 ? "the only record of its batch, its digest is the root" : `${steps} sibling hash${steps === 1 ? "" : "es"}`;
  return anchoring.proofValid
    ? { state: PASSED, reason: `The proof leads from the record's digest to its batch root (${path}), checked by the ledger just now.` }
    : { state: FAILED, reason: "The stored proof does not lead from the record's digest to its batch root." };
}

function onChain(result, noRecord) {
  const anchoring = result.anchoring;
  if (!anchoring) {
    return result.record
      ? { state: NOT_CHECKED, reason: "The record is not anchored on chain yet." }
      : { state: NOT_CHECKED, reason: noRecord };
  }
  // An answer from before the API said which: only a confirmation is a pass, and anything else cannot be told from an absence.
  const outcome = anchoring.onChain ?? (anchoring.rootCheckedOnChain ? "agrees" : "not-checked");
  return { state: fromOutcome[outcome] ?? NOT_CHECKED, reason: anchoring.onChainDetail };
}

function credentials(result, byHash) {
  const report = result.credentials;
  if (!report) {
    return { state: NOT_CHECKED, reason: byHash ? "Verified by its hash alone: the file was not read." : "Only PNG, JPEG and WebP images carry Content Credentials." };
  }
  if (!report.present) return { state: NOT_CHECKED, reason: "The file carries no Content Credentials (C2PA manifest store)." };
  const problems = report.record?.problems ?? [];
  if (report.state === "Invalid") {
    const codes = report.failure.map((s) => s.code).join(", ");
    return { state: FAILED, reason: `The Content Credentials do not validate${codes ? ` (${codes})` : ""}.` };
  }
  if (problems.length > 0) return { state: FAILED, reason: `The Content Credentials contradict the record: ${problems.join(" ")}` };
  const signer = report.signer ? ` Signed by ${report.signer.subject}, issued by ${report.signer.issuer}.` : "";
  return report.state === "Trusted"
    ? { state: PASSED, reason: `Trusted: the Content Credentials validate and their signer chains to one of this ledger's trust anchors.${signer}` }
    : { state: PASSED, reason: `Valid: the Content Credentials validate; their signer is not one of this ledger's trust anchors.${signer}` };
}

function notReRead(result, byHash, found, what) {
  if (!found) return { state: NOT_CHECKED, reason: nothingFound };
  if (byHash) return { state: NOT_CHECKED, reason: `Verified by its hash alone: the file was not read, so its ${what} was not compared.` };
  return { state: NOT_CHECKED, reason: `The file was traced another way; its ${what} was not compared with the record.` };
}

function watermark(result, byHash, found) {
  if (result.claims) return claim(result.claims.watermark);
  const match = result.match;
  if (match?.method === "image-watermark") {
    const confidence = match.watermarkConfidence != null ? ` (confidence ${match.watermarkConfidence.toFixed(2)})` : "";
    return { state: PASSED, reason: `The watermark read from the file carries the record's watermark id${confidence}.` };
  }
  if (match?.method === "text-watermark" && match.textWatermark) {
    const w = match.textWatermark;
    return {
      state: PASSED,
      reason: `${w.greenTokens} of ${w.scoredTokens} tokens are on the node's green list; the chance without its watermark is ${w.adjustedPValue.toExponential(1)}.`,
    };
  }
  return notReRead(result, byHash, found, "watermark");
}

function perceptualHash(result, byHash, found) {
  if (result.claims) return claim(result.claims.perceptualHash);
  const match = result.match;
  if (match?.method === "perceptual-hash") {
    return { state: PASSED, reason: `The file's perceptual hash differs from the record's in ${match.hammingDistance} of 256 bits (at most ${match.threshold} count as the same picture).` };
  }
  if (match?.method === "pdq") {
    return { state: PASSED, reason: `The file's PDQ hash (as it is, turned or mirrored) differs from the one the record signed in ${match.hammingDistance} of 256 bits (at most ${match.threshold} count as a similar picture).` };
  }
  return notReRead(result, byHash, found, "perceptual hash");
}

const claim = (check) => ({ state: fromOutcome[check.outcome] ?? NOT_CHECKED, reason: check.detail });

/** The checks as a list: one item per check, its name, its state in words and signs, and its reason. */
export function checksList(checks) {
  const list = element("ul", "checks");
  list.id = "checks";
  for (const check of checks) {
    const item = element("li", `check ${check.state}`);
    const head = element("p", "check-head");
    const sign = element("span", "check-sign", stateSigns[check.state]);
    sign.setAttribute("aria-hidden", "true");
    head.append(sign, element("span", "check-name", check.name), " ", element("span", "check-state", stateWords[check.state]));
    item.append(head, element("p", "check-reason", check.reason));
    list.append(item);
  }
  return list;
}
