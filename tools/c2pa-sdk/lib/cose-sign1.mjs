// The COSE_Sign1 (RFC 9052) a C2PA claim signature is: ES256 over the Sig_structure of the claim, the certificate
// chain in the protected header (x5chain), a detached payload, and an unprotected `pad` that makes the whole
// structure exactly as long as the space the SDK reserved for it.
import crypto from 'node:crypto';
import { encode, headLength, Tagged } from './cbor.mjs';

const CoseSign1Tag = 18;
const HeaderAlg = 1;
const HeaderX5Chain = 33;
const AlgEs256 = -7;

/** The DER certificates of a PEM chain, leaf first. Throws when it holds none. */
export function pemChainToDer(pem) {
  const blocks = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  if (blocks.length === 0) throw new Error('the certificate chain holds no PEM certificate');
  return blocks.map((block) => Buffer.from(block[1].replace(/\s+/g, ''), 'base64'));
}

/**
 * A tagged COSE_Sign1 over `claim` of exactly `reserveSize` bytes.
 * @param {Uint8Array} claim the claim's CBOR bytes (detached payload)
 * @param {Buffer[]} chainDer the DER certificates, leaf first
 * @param {crypto.KeyObject} privateKey the leaf's P-256 private key
 * @param {number} reserveSize the exact size the SDK reserved
 */
export function signCoseSign1(claim, chainDer, privateKey, reserveSize) {
  const isP256 = privateKey.asymmetricKeyType === 'ec' && privateKey.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  if (!isP256) throw new Error('ES256 needs a P-256 private key');
  const protectedHeader = encode(new Map([[HeaderAlg, AlgEs256], [HeaderX5Chain, chainDer]]));
  const sigStructure = encode(['Signature1', protectedHeader, new Uint8Array(0), claim]);
  const signature = crypto.sign('sha256', sigStructure, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const build = (padLength) => encode(new Tagged(CoseSign1Tag, [
    protectedHeader,
    new Map([['pad', Buffer.alloc(padLength)]]),
    null,
    signature,
  ]));

  // The pad's own length head grows with it, so some totals are out of reach with one pad: look for the one that fits.
  const bare = build(0).length;
  const room = reserveSize - bare;
  for (let padLength = Math.max(0, room); padLength >= 0 && padLength >= room - 8; padLength--) {
    if (bare - 1 + headLength(padLength) + padLength === reserveSize) return build(padLength);
  }
  throw new Error(`a COSE_Sign1 of ${bare} bytes cannot be padded to the reserved ${reserveSize} bytes`);
}
