// CRAM-MD5 / CRAM-SHA1 / CRAM-SHA256 (RFC 2195): the challenge is made here, the digest
// is checked by authdaemond's cram-<alg> authtype (authdaemon-protocol.md §8.4).

import { randomBytes } from "node:crypto";
import { applyDefDomain, authGeneric } from "../client.js";
import { ask } from "./steps.js";
import type { Mechanism } from "./types.js";

export function cramChallenge(hostname: string): string {
  return `<${randomBytes(16).toString("hex").toUpperCase()}@${hostname || "cram"}>`;
}

export function cram(alg: "md5" | "sha1" | "sha256"): Mechanism {
  return async (initial, io, ctx) => {
    if (initial !== undefined) return { kind: "malformed", reason: "CRAM takes no initial response" };
    const challenge = cramChallenge(ctx.hostname);
    const r = await ask(io, challenge);
    if (!r.ok) return r.result;
    const text = r.data.toString("utf8");
    const sp = text.lastIndexOf(" ");
    if (sp <= 0) return { kind: "malformed", reason: "CRAM response is not <user> <digest>" };
    const user = text.slice(0, sp);
    const withDomain = applyDefDomain(user, ctx.env);
    const response = Buffer.from(`${withDomain}${text.slice(sp)}`).toString("base64");
    const authdata = `${Buffer.from(challenge).toString("base64")}\n${response}\n`;
    const res = await authGeneric(ctx.auth, ctx.service, `cram-${alg}`, authdata, ctx.meta);
    if (res.kind === "ok") return { kind: "ok", user, record: res.record };
    return res.kind === "tempfail" ? { kind: "tempfail" } : { kind: "fail", user };
  };
}
