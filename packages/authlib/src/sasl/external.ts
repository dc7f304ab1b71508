// EXTERNAL (RFC 4422 appendix A): the identity of a verified TLS client certificate
// (TLS_SUBJECT_<TLS_EXTERNAL>), looked up with PRE. The client may only name that same
// identity as its authorization id, or none.

import { authGeneric } from "../client.js";
import { firstResponse } from "./steps.js";
import type { Mechanism } from "./types.js";

export const external: Mechanism = async (initial, io, ctx) => {
  const id = ctx.external;
  if (!id) return { kind: "unsupported" };
  const r = await firstResponse(initial, io);
  if (!r.ok) return r.result;
  const authzid = r.data.toString("utf8");
  if (authzid && authzid !== id) return { kind: "fail", user: authzid };
  const res = await authGeneric(ctx.auth, ctx.service, "EXTERNAL", id, ctx.meta);
  if (res.kind === "ok") return { kind: "ok", user: id, record: res.record };
  return res.kind === "tempfail" ? { kind: "tempfail" } : { kind: "fail", user: id };
};
