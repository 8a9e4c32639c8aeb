#!/usr/bin/env node
// node sign.mjs ASSET MIME MANIFEST_JSON CHAIN_PEM KEY_PEM OUT
// Signs ASSET with the manifest definition in MANIFEST_JSON (a file), the PEM certificate chain (leaf first, issued by
// a CA, digitalSignature and an EKU such as emailProtection) and the leaf's PKCS#8 P-256 key, and writes the signed
// asset to OUT. Bad arguments exit 2; a refusal by the SDK exits 1.
import fs from 'node:fs';
import { sign } from './lib/requests.mjs';
import { sdkErrorMessage } from './lib/sdk.mjs';

const usage = 'usage: node sign.mjs ASSET MIME MANIFEST_JSON CHAIN_PEM KEY_PEM OUT';
const args = process.argv.slice(2);
if (args.length !== 6) {
  console.error(usage);
  process.exit(2);
}

const [assetFile, mime, manifestFile, chainFile, keyFile, outFile] = args;
let request;
try {
  request = {
    bytes: fs.readFileSync(assetFile),
    mime,
    manifestJson: fs.readFileSync(manifestFile, 'utf8'),
    chainPem: fs.readFileSync(chainFile, 'utf8'),
    privateKeyPem: fs.readFileSync(keyFile, 'utf8'),
  };
} catch (error) {
  console.error(`sign.mjs: ${error.message}`);
  process.exit(2);
}

try {
  fs.writeFileSync(outFile, (await sign(request)).asset);
} catch (error) {
  console.error(`sign.mjs: ${sdkErrorMessage(error)}`);
  process.exit(1);
}
