#!/usr/bin/env node
// node read.mjs FILE MIME [TRUST_ANCHORS_PEM]
// Prints the manifest store the official SDK reads from FILE, with its validation results, as JSON. A file without
// a manifest store prints {"no_manifest":true,...} and exits 0; a file the SDK refuses prints {"rejected":true,...}
// and exits 1; bad arguments exit 2.
import fs from 'node:fs';
import { read } from './lib/requests.mjs';
import { sdkErrorMessage } from './lib/sdk.mjs';

const usage = 'usage: node read.mjs FILE MIME [TRUST_ANCHORS_PEM]';
const [file, mime, anchorsFile, ...extra] = process.argv.slice(2);
if (!file || !mime || extra.length > 0) {
  console.error(usage);
  process.exit(2);
}

let request;
try {
  request = {
    bytes: fs.readFileSync(file),
    mime,
    trustAnchorsPem: anchorsFile ? fs.readFileSync(anchorsFile, 'utf8') : null,
  };
} catch (error) {
  console.error(`read.mjs: ${error.message}`);
  process.exit(2);
}

try {
  const result = await read(request);
  console.log(JSON.stringify(result, null, 2));
  if (result.rejected) {
    console.error(`read.mjs: the SDK refused ${file}: ${result.error}`);
    process.exit(1);
  }
} catch (error) {
  console.error(`read.mjs: ${sdkErrorMessage(error)}`);
  process.exit(2);
}
