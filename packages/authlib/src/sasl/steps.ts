// Reading one client response: `*` aborts, anything else must be strict base64.

import type { SaslIo, SaslResult } from "./types.js";

export type Step = { ok: true; data: Buffer } | { ok: false; result: SaslResult };

export function decodeResponse(line: string | undefined): Step {
  if (line === undefined) return { ok: false, result: { kind: "eof" } };
  if (line === "*") return { ok: false, result: { kind: "aborted" } };
  if (line.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(line))
    return { ok: false, result: { kind: "malformed", reason: "invalid base64" } };
  return { ok: true, data: Buffer.from(line, "base64") };
}

/** The initial response if there was one (`=` already turned into ""), else a challenge. */
export async function firstResponse(
  initial: string | undefined,
  io: SaslIo,
  challenge = Buffer.alloc(0),
): Promise<Step> {
  return decodeResponse(initial ?? (await io.challenge(challenge)));
}

export async function ask(io: SaslIo, challenge: string | Buffer): Promise<Step> {
  return decodeResponse(await io.challenge(Buffer.from(challenge)));
}
