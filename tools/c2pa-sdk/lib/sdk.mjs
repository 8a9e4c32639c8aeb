// The official C2PA SDK (c2pa-rs compiled to wasm) made usable under Node: initialised once, reading a manifest store
// with its validation results, and signing an asset with a certificate chain and a P-256 key held in PEM.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { initSync, WasmBuilder, WasmReader } from '@contentauth/c2pa-wasm';
import { pemChainToDer, signCoseSign1 } from './cose-sign1.mjs';
import { BytesBlob, installFileReaderSync } from './node-blob.mjs';

/** The SDK's error for an asset that carries no manifest store. */
export const NoManifestError = 'JumbfNotFound';

// Room for the signature, the protected header and CBOR framing beyond the certificate chain itself.
const SignatureOverhead = 1024;

let initialised = false;

/** Compiles and starts the wasm module (once; later calls do nothing). */
export function ensureInitialised() {
  if (initialised) return;
  const require = createRequire(import.meta.url);
  const wasmPath = require.resolve('@contentauth/c2pa-wasm/c2pa.wasm');
  initSync({ module: fs.readFileSync(wasmPath) });
  installFileReaderSync();
  initialised = true;
}

/**
 * The SDK's settings for reading: its defaults (trust checked against no anchors, so every signer is
 * `signingCredential.untrusted`) unless anchors are given.
 */
function readContextJson(trustAnchorsPem) {
  return trustAnchorsPem ? JSON.stringify({ trust: { trust_anchors: trustAnchorsPem }, verify: { verify_trust: true } }) : null;
}

// Signing checks nothing against trust lists: the signer's chain is the caller's to choose.
const SignContextJson = JSON.stringify({ verify: { verify_trust: false } });

/** The message of whatever the SDK threw (it throws strings such as `C2pa(JumbfNotFound)`). */
export function sdkErrorMessage(error) {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  return JSON.stringify(error);
}

/**
 * Reads the manifest store of `bytes`.
 * @returns {{ store: object } | { noManifest: true, error: string } | { rejected: true, error: string }}
 */
export async function readManifestStore(bytes, mime, trustAnchorsPem) {
  ensureInitialised();
  let reader;
  try {
    reader = await WasmReader.fromBytes(mime, bytes, readContextJson(trustAnchorsPem));
  } catch (error) {
    // A trap is no verdict on the file: the caller must know that the wasm instance is gone.
    if (error instanceof WebAssembly.RuntimeError) throw error;
    const message = sdkErrorMessage(error);
    return message.includes(NoManifestError) ? { noManifest: true, error: message } : { rejected: true, error: message };
  }
  try {
    return { store: JSON.parse(reader.json()) };
  } finally {
    reader.free();
  }
}

/**
 * Signs `bytes` with the manifest definition `manifestJson`.
 * @returns {Promise<{ asset: Uint8Array, manifest: Uint8Array }>} the signed asset and the manifest store embedded in it
 * @param {{ json: string, mime: string, bytes: Uint8Array }[]} ingredients assets added as ingredients (their own
 *   manifest stores, when they have one, come along)
 */
export async function signAsset(bytes, mime, manifestJson, chainPem, privateKeyPem, ingredients = []) {
  ensureInitialised();
  const chainDer = pemChainToDer(chainPem);
  const privateKey = crypto.createPrivateKey(privateKeyPem);
  const reserveSize = chainDer.reduce((sum, der) => sum + der.length, 0) + SignatureOverhead;
  const signer = {
    alg: 'es256',
    reserveSize,
    sign: async (claim) => new Uint8Array(signCoseSign1(claim, chainDer, privateKey, reserveSize)),
  };
  const builder = WasmBuilder.fromJson(manifestJson, SignContextJson);
  try {
    for (const ingredient of ingredients) {
      await builder.addIngredientFromBlob(ingredient.json, ingredient.mime, new BytesBlob(ingredient.bytes, ingredient.mime));
    }
    const signed = await builder.signAndGetManifestBytes(signer, [], mime, new BytesBlob(bytes, mime));
    return { asset: signed.asset, manifest: signed.manifest };
  } finally {
    builder.free();
  }
}
