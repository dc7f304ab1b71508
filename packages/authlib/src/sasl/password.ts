// PLAIN (RFC 4616) and LOGIN: both end as authtype `login` (authdaemon-protocol.md §8.4).

import { authLogin } from "../client.js";
import { ask, firstResponse } from "./steps.js";
import type { Mechanism, SaslContext, SaslResult } from "./types.js";

async function login(ctx: SaslContext, user: string, password: string): Promise<SaslResult> {
  const r = await authLogin(ctx.auth, ctx.service, user, password, ctx.meta);
  if (r.kind === "ok") return { kind: "ok", user, record: r.record };
  return r.kind === "tempfail" ? { kind: "tempfail" } : { kind: "fail", user };
}

export const plain: Mechanism = async (initial, io, ctx) => {
  const r = await firstResponse(initial, io);
  if (!r.ok) return r.result;
  const fields = r.data.toString("utf8").split("\0");
  if (fields.length !== 3)
    return { kind: "malformed", reason: "PLAIN needs authzid NUL authcid NUL password" };
  const [authzid, user, password] = fields;
  // Courier ignores the authzid; we refuse one naming somebody else rather than ignore it.
  if (authzid && authzid !== user) return { kind: "fail", user };
  return login(ctx, user, password);
};

export const loginMechanism: Mechanism = async (initial, io, ctx) => {
  const u = await firstResponse(initial, io, Buffer.from("Username:"));
  if (!u.ok) return u.result;
  const p = await ask(io, "Password:");
  if (!p.ok) return p.result;
  return login(ctx, u.data.toString("utf8"), p.data.toString("utf8"));
};
