// Parsing a `cram-<alg>` AUTH request (spec/auth-modules.md §2).

import { type CramAlg, isCramAlg } from "./cram.js";

export interface CramRequest {
  alg: CramAlg;
  challenge: Buffer;
  userid: string;
  digest: string;
}

/** Courier's strict base64: standard alphabet, up to two `=`, length a multiple of 4. */
function strictBase64(s: string): Buffer | undefined {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  return Buffer.from(s, "base64");
}

export function parseCramRequest(authtype: string, authdata: string): CramRequest | undefined {
  if (!authtype.startsWith("cram-")) return undefined;
  const alg = authtype.slice(5);
  if (!isCramAlg(alg)) return undefined;
  const [c, r] = authdata.split("\n").filter((t) => t !== "");
  if (c === undefined || r === undefined) return undefined;
  const challenge = strictBase64(c);
  const response = strictBase64(r)?.toString("utf8");
  if (!challenge || response === undefined) return undefined;
  const sp = response.lastIndexOf(" ");
  if (sp < 0) return undefined;
  return { alg, challenge, userid: response.slice(0, sp), digest: response.slice(sp + 1) };
}
