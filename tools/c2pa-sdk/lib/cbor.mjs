// A minimal CBOR encoder (RFC 8949, deterministic: definite lengths, shortest heads) for exactly what a COSE_Sign1
// needs: integers, byte strings, text strings, arrays, maps (a Map keeps integer keys and their order) and tags.

/** A CBOR tag around a value. */
export class Tagged {
  constructor(tag, value) {
    this.tag = tag;
    this.value = value;
  }
}

/** The bytes of `value` as CBOR. Throws a TypeError for any value outside the subset above. */
export function encode(value) {
  const parts = [];
  write(value, parts);
  return Buffer.concat(parts);
}

/** The length of the head (major type + argument) that encodes `argument`. */
export function headLength(argument) {
  if (argument < 24) return 1;
  if (argument < 0x100) return 2;
  if (argument < 0x10000) return 3;
  if (argument < 0x100000000) return 5;
  return 9;
}

function head(major, argument) {
  if (!Number.isSafeInteger(argument) || argument < 0) {
    throw new TypeError(`CBOR argument out of range: ${argument}`);
  }
  const length = headLength(argument);
  const bytes = Buffer.alloc(length);
  if (length === 1) {
    bytes[0] = (major << 5) | argument;
    return bytes;
  }
  const info = { 2: 24, 3: 25, 5: 26, 9: 27 }[length];
  bytes[0] = (major << 5) | info;
  if (length === 9) bytes.writeBigUInt64BE(BigInt(argument), 1);
  else bytes.writeUIntBE(argument, 1, length - 1);
  return bytes;
}

function write(value, parts) {
  if (Number.isInteger(value)) {
    parts.push(value >= 0 ? head(0, value) : head(1, -1 - value));
  } else if (value instanceof Uint8Array) {
    parts.push(head(2, value.length), Buffer.from(value.buffer, value.byteOffset, value.length));
  } else if (typeof value === 'string') {
    const utf8 = Buffer.from(value, 'utf8');
    parts.push(head(3, utf8.length), utf8);
  } else if (Array.isArray(value)) {
    parts.push(head(4, value.length));
    for (const item of value) write(item, parts);
  } else if (value instanceof Map) {
    parts.push(head(5, value.size));
    for (const [key, item] of value) {
      write(key, parts);
      write(item, parts);
    }
  } else if (value instanceof Tagged) {
    parts.push(head(6, value.tag));
    write(value.value, parts);
  } else if (value === null) {
    parts.push(Buffer.from([0xf6]));
  } else {
    throw new TypeError(`CBOR subset: cannot encode ${typeof value}`);
  }
}
