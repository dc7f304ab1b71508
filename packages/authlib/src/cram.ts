// CRAM secrets as Courier's userdbpw -hmac-* writes them (spec/userdb.md §6): the HMAC
// outer-pad state followed by the inner-pad state, as lowercase hex.

import { createHash } from "node:crypto";
import {
  bytesToState,
  type CramAlg,
  compressBlock,
  DIGEST_LEN,
  finishFrom,
  initialState,
  stateToBytes,
} from "./hashstate.js";
import { safeEqual } from "./safeequal.js";

export type { CramAlg } from "./hashstate.js";

const NODE_NAME: Record<CramAlg, string> = { md5: "md5", sha1: "sha1", sha256: "sha256" };

export function isCramAlg(s: string): s is CramAlg {
  return s === "md5" || s === "sha1" || s === "sha256";
}

/** The `hmac-<alg>pw` value for `password`. */
export function cramSecret(alg: CramAlg, password: string | Buffer): string {
  let key = Buffer.from(password);
  if (key.length > 64) key = createHash(NODE_NAME[alg]).update(key).digest();
  const pad = (x: number) => {
    const block = Buffer.alloc(64, x);
    for (let i = 0; i < key.length; i++) block[i] ^= key[i];
    const state = initialState(alg);
    compressBlock(alg, state, block);
    return stateToBytes(alg, state);
  };
  return Buffer.concat([pad(0x5c), pad(0x36)]).toString("hex");
}

/** HMAC-<alg>(password, challenge) computed from a stored secret, as hex. */
export function cramDigest(alg: CramAlg, secretHex: string, challenge: string | Buffer): string | undefined {
  const len = DIGEST_LEN[alg];
  if (secretHex.length !== 4 * len || !/^[0-9a-fA-F]*$/.test(secretHex)) return undefined;
  const secret = Buffer.from(secretHex, "hex");
  const outer = bytesToState(alg, secret.subarray(0, len));
  const inner = bytesToState(alg, secret.subarray(len));
  const innerDigest = finishFrom(alg, inner, Buffer.from(challenge), 64);
  return finishFrom(alg, outer, innerDigest, 64).toString("hex");
}

/** Verifies a client's hex CRAM response (either case, exact length) against a stored secret. */
export function checkCram(
  alg: CramAlg,
  secretHex: string,
  challenge: string | Buffer,
  responseHex: string,
): boolean {
  const expect = cramDigest(alg, secretHex, challenge);
  if (expect === undefined) return false;
  return safeEqual(expect, responseHex.toLowerCase());
}
