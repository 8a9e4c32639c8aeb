// Small DOM and wording helpers shared by the verification page's modules.
// Every value from the server or from the uploaded file is written with textContent, never as HTML.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** A new element with a class and text (both optional). */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** A Unix time in seconds, or an ISO date-time string, as an ISO string; null when absent. */
export const isoTime = (unixSeconds) => (unixSeconds ? new Date(Number(unixSeconds) * 1000).toISOString() : null);

/** A date-time (ISO string or Unix seconds) as people read it: "2026-12-06 15:31:02 UTC"; null when absent or unreadable. */
export function readableTime(value) {
  if (value === null || value === undefined || value === "") return null;
  const date = typeof value === "number" || /^\d+$/.test(String(value)) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
}

/** A 0x-prefixed hex value shortened to its first and last digits ("0x1a2b…9f0e"); anything short enough stays whole. */
export function shortHex(value) {
  const text = String(value);
  return /^0x[0-9a-fA-F]{13,}$/.test(text) ? `${text.slice(0, 6)}…${text.slice(-4)}` : text;
}

/** The host of an http(s) URL ("edge-1.example:8443"), or null when the text is no such URL. */
export function hostOf(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.host : null;
  } catch {
    return null;
  }
}
