// The two things the harness is asked to do, from plain values to plain values: what read.mjs, sign.mjs and
// serve.mjs share. A result is the SDK's verdict; a thrown Error is a bad request or a harness failure.
import { readManifestStore, signAsset } from './sdk.mjs';

/** The assets the harness signs. */
export const SignedMimeTypes = ['image/png', 'image/jpeg', 'image/webp'];

/**
 * What it reads: those assets, and a manifest store alone (`application/c2pa`, whose data hash cannot match without
 * its asset).
 */
export const ReadMimeTypes = [...SignedMimeTypes, 'application/c2pa'];

function requireMime(mime, supported) {
  if (!supported.includes(mime)) {
    throw new Error(`unsupported media type '${mime}': expected one of ${supported.join(', ')}`);
  }
}

function requireText(value, name) {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`${name} is missing`);
}

/**
 * The manifest store of an asset, in one of three shapes: the SDK's store JSON (with `validation_state` and
 * `validation_results`), `{ no_manifest: true, error }` or `{ rejected: true, error }` when the SDK refused the file.
 */
export async function read({ bytes, mime, trustAnchorsPem }) {
  requireMime(mime, ReadMimeTypes);
  const outcome = await readManifestStore(bytes, mime, trustAnchorsPem || null);
  if (outcome.store) return outcome.store;
  return outcome.noManifest ? { no_manifest: true, error: outcome.error } : { rejected: true, error: outcome.error };
}

/** The signed asset's bytes and the manifest store embedded in it: `{ asset, manifest }`. */
export async function sign({ bytes, mime, manifestJson, chainPem, privateKeyPem, ingredients = [] }) {
  requireMime(mime, SignedMimeTypes);
  requireText(manifestJson, 'the manifest definition');
  requireText(chainPem, 'the certificate chain');
  requireText(privateKeyPem, 'the private key');
  try {
    JSON.parse(manifestJson);
  } catch (error) {
    throw new Error(`the manifest definition is not JSON: ${error.message}`);
  }
  for (const ingredient of ingredients) requireMime(ingredient.mime, SignedMimeTypes);
  return signAsset(bytes, mime, manifestJson, chainPem, privateKeyPem, ingredients);
}
