#!/usr/bin/env node
// node serve.mjs
// Serves many reads and signatures from one process (the wasm is compiled once): one JSON request per stdin line,
// one JSON response per stdout line, in order, until stdin closes. It first prints {"ready":true}.
//   {"id":1,"op":"read","mime":"image/png","asset":"<base64>","trustAnchorsPem":null}
//     -> {"id":1,"ok":true,"result":<what read.mjs prints>}
//   {"id":2,"op":"sign","mime":"image/jpeg","asset":"<base64>","manifest":"<json>","chainPem":"...",
//    "privateKeyPem":"...","ingredients":[{"json":"<json>","mime":"image/png","asset":"<base64>"}]}
//     -> {"id":2,"ok":true,"result":{"asset":"<base64 of the signed asset>","manifest":"<base64 of its manifest store>"}}
// A failed request answers {"id":...,"ok":false,"error":"..."} and the server goes on, except after a trap of the
// wasm, whose answer says "ending":true before the process exits.
import readline from 'node:readline';
import { read, sign } from './lib/requests.mjs';
import { ensureInitialised, sdkErrorMessage } from './lib/sdk.mjs';

const base64 = (text, name) => {
  if (typeof text !== 'string') throw new Error(`${name} (base64) is missing`);
  return new Uint8Array(Buffer.from(text, 'base64'));
};

async function handle(request) {
  switch (request.op) {
    case 'read':
      return read({ bytes: base64(request.asset, 'asset'), mime: request.mime, trustAnchorsPem: request.trustAnchorsPem });
    case 'sign': {
      const ingredients = (request.ingredients ?? []).map((ingredient, index) => ({
        json: ingredient.json,
        mime: ingredient.mime,
        bytes: base64(ingredient.asset, `ingredient ${index}`),
      }));
      const signed = await sign({
        bytes: base64(request.asset, 'asset'),
        mime: request.mime,
        manifestJson: request.manifest,
        chainPem: request.chainPem,
        privateKeyPem: request.privateKeyPem,
        ingredients,
      });
      return { asset: Buffer.from(signed.asset).toString('base64'), manifest: Buffer.from(signed.manifest).toString('base64') };
    }
    default:
      throw new Error(`unknown op '${request.op}': expected read or sign`);
  }
}

// A trap (a Rust panic, an out-of-bounds access) leaves the wasm instance unusable, and it cannot be instantiated
// again in this process: the file is reported as refused and the process ends after answering (C2paSdk starts anew).
let trapped = false;

async function answer(line) {
  let id = null;
  let op = null;
  try {
    const request = JSON.parse(line);
    id = request.id ?? null;
    op = request.op;
    return { id, ok: true, result: await handle(request) };
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      trapped = true;
      const message = `the SDK's wasm trapped: ${error.message}`;
      console.error(`serve.mjs: ${message}; ending`);
      const answer = op === 'read' ? { id, ok: true, result: { rejected: true, error: message } } : { id, ok: false, error: message };
      return { ...answer, ending: true };
    }
    return { id, ok: false, error: sdkErrorMessage(error) };
  }
}

ensureInitialised();
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim().length === 0) continue;
  process.stdout.write(`${JSON.stringify(await answer(line))}\n`);
  if (trapped) process.exit(3);
}
