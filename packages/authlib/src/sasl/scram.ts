// SCRAM-SHA-256 (RFC 5802, RFC 7677), server side. The exchange runs here; the secret
// stays in authdaemond, asked through the `scram-sha-256` authtype (../scramrequest.ts).
// Channel binding (-PLUS) is not offered, so a client asking for it is refused.

import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { applyDefDomain, authGeneric, type ClientOptions, exchange } from "../client.js";
import { encodeAuth, type Meta } from "../protocol.js";
import {
  encodeScramProofRequest,
  encodeScramSaltRequest,
  parseScramSaltReply,
  SCRAM_AUTHTYPE,
} from "../scramrequest.js";
import { ask, firstResponse } from "./steps.js";
import type { Mechanism, SaslResult } from "./types.js";

interface ClientFirst {
  gs2Header: string;
  bare: string;
  user: string;
  nonce: string;
}

const malformed = (reason: string): SaslResult => ({ kind: "malformed", reason });

function decodeSaslName(s: string): string | undefined {
  if (/=(?!2C|3D)/.test(s)) return undefined;
  return s.replace(/=2C/g, ",").replace(/=3D/g, "=");
}

function parseClientFirst(text: string): ClientFirst | string {
  const m = /^([ny]|p=[^,]*),(a=[^,]*)?,(.*)$/s.exec(text);
  if (!m) return "not a SCRAM client-first-message";
  if (m[1].startsWith("p=")) return "channel binding is not supported";
  const bare = m[3];
  const attrs = /^n=([^,]*),r=([\x21-\x2b\x2d-\x7e]+)(,.*)?$/.exec(bare);
  if (!attrs) return "client-first-message without n= and r=";
  const user = decodeSaslName(attrs[1]);
  if (!user) return "bad user name encoding";
  const authzid = m[2] ? decodeSaslName(m[2].slice(2)) : undefined;
  if (authzid && authzid !== user) return "authorization identity differs from the user";
  return { gs2Header: `${m[1]},${m[2] ?? ""},`, bare, user, nonce: attrs[2] };
}

let fakeKey: Buffer | undefined;
/** Salt for an unknown user: stable per host, so it does not tell the user is unknown. */
function fakeSalt(user: string): Buffer {
  if (!fakeKey) {
    try {
      fakeKey = readFileSync("/etc/machine-id");
    } catch {
      fakeKey = randomBytes(32);
    }
  }
  return createHmac("sha256", fakeKey).update(`scram-salt\0${user}`).digest().subarray(0, 16);
}

async function saltFor(opts: ClientOptions, service: string, user: string, meta?: Meta) {
  const req = encodeAuth(service, SCRAM_AUTHTYPE, encodeScramSaltRequest(user), meta);
  const reply = (await exchange(opts, req, () => false)).toString("utf8");
  if (!reply.endsWith("FAIL\n")) return "tempfail" as const;
  return parseScramSaltReply(reply);
}

export const scramSha256: Mechanism = async (initial, io, ctx) => {
  const first = await firstResponse(initial, io);
  if (!first.ok) return first.result;
  const cf = parseClientFirst(first.data.toString("utf8"));
  if (typeof cf === "string") return malformed(cf);
  const user = applyDefDomain(cf.user, ctx.env);
  if (/[\x00-\x1f]/.test(user)) return { kind: "fail", user: cf.user };
  const known = await saltFor(ctx.auth, ctx.service, user, ctx.meta);
  if (known === "tempfail") return { kind: "tempfail" };
  const salt = known?.salt ?? fakeSalt(user);
  const iterations = known?.iterations ?? 4096;
  const nonce = cf.nonce + randomBytes(18).toString("base64");
  const serverFirst = `r=${nonce},s=${salt.toString("base64")},i=${iterations}`;
  const fin = await ask(io, serverFirst);
  if (!fin.ok) return fin.result;
  const finalText = fin.data.toString("utf8");
  const pm = /^(c=([A-Za-z0-9+/=]*),r=([^,]*)(?:,.*)?),p=([A-Za-z0-9+/=]+)$/s.exec(finalText);
  if (!pm) return malformed("not a SCRAM client-final-message");
  if (Buffer.from(pm[2], "base64").toString("utf8") !== cf.gs2Header || pm[3] !== nonce)
    return { kind: "fail", user: cf.user };
  if (!known) return { kind: "fail", user: cf.user };
  const authMessage = Buffer.from(`${cf.bare},${serverFirst},${pm[1]}`);
  const proof = Buffer.from(pm[4], "base64");
  const res = await authGeneric(
    ctx.auth,
    ctx.service,
    SCRAM_AUTHTYPE,
    encodeScramProofRequest(user, authMessage, proof),
    ctx.meta,
  );
  if (res.kind === "tempfail") return { kind: "tempfail" };
  if (res.kind === "fail" || !res.record.scramSignature) return { kind: "fail", user: cf.user };
  // server-final-message; the client answers it with an empty response (RFC 5802 §5, IMAP/POP3 SASL).
  const last = await ask(io, `v=${res.record.scramSignature}`);
  if (!last.ok) return last.result;
  if (last.data.length) return malformed("unexpected data after server-final-message");
  const { scramSignature: _, ...record } = res.record;
  return { kind: "ok", user: cf.user, record };
};
