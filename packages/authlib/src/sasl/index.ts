// SASL mechanisms by name (upper-cased), as Courier's auth_sasl offers them plus SCRAM.

import { cram } from "./cram.js";
import { external } from "./external.js";
import { loginMechanism, plain } from "./password.js";
import { scramSha256 } from "./scram.js";
import type { Mechanism, SaslContext, SaslIo, SaslResult } from "./types.js";

export { cramChallenge } from "./cram.js";
export type { Mechanism, SaslContext, SaslIo, SaslResult } from "./types.js";

const MECHANISMS: Record<string, Mechanism> = {
  PLAIN: plain,
  LOGIN: loginMechanism,
  "CRAM-MD5": cram("md5"),
  "CRAM-SHA1": cram("sha1"),
  "CRAM-SHA256": cram("sha256"),
  EXTERNAL: external,
  "SCRAM-SHA-256": scramSha256,
};

export const SASL_MECHANISMS = Object.keys(MECHANISMS);

/**
 * Runs one SASL exchange. `initial` is the initial response as sent (base64; the caller
 * turns a lone `=` into ""), undefined when there was none.
 */
export function saslAuthenticate(
  mechanism: string,
  initial: string | undefined,
  io: SaslIo,
  ctx: SaslContext,
): Promise<SaslResult> {
  const m = Object.hasOwn(MECHANISMS, mechanism.toUpperCase())
    ? MECHANISMS[mechanism.toUpperCase()]
    : undefined;
  if (!m) return Promise.resolve({ kind: "unsupported" });
  if (initial === "*") return Promise.resolve({ kind: "aborted" });
  return m(initial, io, ctx);
}
