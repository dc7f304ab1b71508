// MD5 / SHA-1 / SHA-256 with an exposed chaining state. Courier's CRAM secrets
// (spec/userdb.md §6) are HMAC mid-states, which node:crypto cannot export or resume.

export type CramAlg = "md5" | "sha1" | "sha256";

export const DIGEST_LEN: Record<CramAlg, number> = { md5: 16, sha1: 20, sha256: 32 };
const BLOCK = 64;

const MD5_INIT = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
const SHA1_INIT = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
const SHA256_INIT = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

const MD5_S = [
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9,
  14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15,
  21, 6, 10, 15, 21,
];
const MD5_K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);

const SHA256_K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
];

const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));
const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

function md5Block(h: number[], b: Uint8Array, off: number): void {
  const m = new Array<number>(16);
  for (let i = 0; i < 16; i++) {
    const j = off + i * 4;
    m[i] = b[j] | (b[j + 1] << 8) | (b[j + 2] << 16) | (b[j + 3] << 24);
  }
  let [a, bb, c, d] = h;
  for (let i = 0; i < 64; i++) {
    let f: number;
    let g: number;
    if (i < 16) [f, g] = [(bb & c) | (~bb & d), i];
    else if (i < 32) [f, g] = [(d & bb) | (~d & c), (5 * i + 1) % 16];
    else if (i < 48) [f, g] = [bb ^ c ^ d, (3 * i + 5) % 16];
    else [f, g] = [c ^ (bb | ~d), (7 * i) % 16];
    const t = d;
    d = c;
    c = bb;
    bb = (bb + rotl((a + f + MD5_K[i] + m[g]) | 0, MD5_S[i])) | 0;
    a = t;
  }
  h[0] = (h[0] + a) | 0;
  h[1] = (h[1] + bb) | 0;
  h[2] = (h[2] + c) | 0;
  h[3] = (h[3] + d) | 0;
}

function beWords(b: Uint8Array, off: number, w: number[]): void {
  for (let i = 0; i < 16; i++) {
    const j = off + i * 4;
    w[i] = (b[j] << 24) | (b[j + 1] << 16) | (b[j + 2] << 8) | b[j + 3];
  }
}

function sha1Block(h: number[], b: Uint8Array, off: number): void {
  const w = new Array<number>(80);
  beWords(b, off, w);
  for (let i = 16; i < 80; i++) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  let [a, bb, c, d, e] = h;
  for (let i = 0; i < 80; i++) {
    let f: number;
    let k: number;
    if (i < 20) [f, k] = [(bb & c) | (~bb & d), 0x5a827999];
    else if (i < 40) [f, k] = [bb ^ c ^ d, 0x6ed9eba1];
    else if (i < 60) [f, k] = [(bb & c) | (bb & d) | (c & d), 0x8f1bbcdc];
    else [f, k] = [bb ^ c ^ d, 0xca62c1d6];
    const t = (rotl(a, 5) + f + e + k + w[i]) | 0;
    e = d;
    d = c;
    c = rotl(bb, 30);
    bb = a;
    a = t;
  }
  h[0] = (h[0] + a) | 0;
  h[1] = (h[1] + bb) | 0;
  h[2] = (h[2] + c) | 0;
  h[3] = (h[3] + d) | 0;
  h[4] = (h[4] + e) | 0;
}

function sha256Block(h: number[], b: Uint8Array, off: number): void {
  const w = new Array<number>(64);
  beWords(b, off, w);
  for (let i = 16; i < 64; i++) {
    const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
    const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let [a, bb, c, d, e, f, g, hh] = h;
  for (let i = 0; i < 64; i++) {
    const t1 =
      (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + SHA256_K[i] + w[i]) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c))) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = bb;
    bb = a;
    a = (t1 + t2) | 0;
  }
  const v = [a, bb, c, d, e, f, g, hh];
  for (let i = 0; i < 8; i++) h[i] = (h[i] + v[i]) | 0;
}

const IMPL: Record<CramAlg, { init: number[]; block: typeof md5Block; littleEndian: boolean }> = {
  md5: { init: MD5_INIT, block: md5Block, littleEndian: true },
  sha1: { init: SHA1_INIT, block: sha1Block, littleEndian: false },
  sha256: { init: SHA256_INIT, block: sha256Block, littleEndian: false },
};

export function initialState(alg: CramAlg): number[] {
  return [...IMPL[alg].init];
}

/** Compresses one 64-byte block into `state` (mutated). */
export function compressBlock(alg: CramAlg, state: number[], block: Uint8Array): void {
  IMPL[alg].block(state, block, 0);
}

/** Serialises a state in the byte order of the hash's digest. */
export function stateToBytes(alg: CramAlg, state: number[]): Buffer {
  const out = Buffer.alloc(state.length * 4);
  state.forEach((w, i) => {
    if (IMPL[alg].littleEndian) out.writeUInt32LE(w >>> 0, i * 4);
    else out.writeUInt32BE(w >>> 0, i * 4);
  });
  return out;
}

export function bytesToState(alg: CramAlg, bytes: Uint8Array): number[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let i = 0; i < buf.length; i += 4)
    out.push(IMPL[alg].littleEndian ? buf.readInt32LE(i) : buf.readInt32BE(i));
  return out;
}

/**
 * Hashes `data` starting from `state`, given that `priorBytes` (a multiple of 64) were
 * already compressed into it, and returns the final digest.
 */
export function finishFrom(alg: CramAlg, state: number[], data: Uint8Array, priorBytes: number): Buffer {
  const h = [...state];
  const total = priorBytes + data.length;
  const padLen = (data.length + 9 + BLOCK - 1) & ~(BLOCK - 1);
  const buf = Buffer.alloc(padLen);
  buf.set(data);
  buf[data.length] = 0x80;
  const bits = BigInt(total) * 8n;
  if (IMPL[alg].littleEndian) buf.writeBigUInt64LE(bits, padLen - 8);
  else buf.writeBigUInt64BE(bits, padLen - 8);
  for (let off = 0; off < padLen; off += BLOCK) IMPL[alg].block(h, buf, off);
  return stateToBytes(alg, h);
}
