// What the SDK's builder needs from a browser worker and Node lacks: it reads every Blob through FileReaderSync.
// A Blob that keeps its bytes (and slices into the same kind) lets a synchronous reader hand them over.

/** A Blob whose bytes stay readable synchronously. */
export class BytesBlob extends Blob {
  #bytes;

  constructor(bytes, type = '') {
    super([bytes], { type });
    this.#bytes = bytes;
  }

  get bytes() {
    return this.#bytes;
  }

  slice(start = 0, end = this.#bytes.length, type = '') {
    return new BytesBlob(this.#bytes.subarray(...sliceBounds(this.#bytes.length, start, end)), type);
  }
}

function sliceBounds(size, start, end) {
  const clamp = (n) => (n < 0 ? Math.max(size + n, 0) : Math.min(n, size));
  const from = clamp(start);
  return [from, Math.max(clamp(end), from)];
}

/** Defines the global FileReaderSync the SDK calls, for BytesBlob only. */
export function installFileReaderSync() {
  if (globalThis.FileReaderSync) return;
  globalThis.FileReaderSync = class FileReaderSync {
    readAsArrayBuffer(blob) {
      if (!(blob instanceof BytesBlob)) throw new TypeError('FileReaderSync (Node shim) reads only BytesBlob');
      const bytes = blob.bytes;
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    }
  };
}
