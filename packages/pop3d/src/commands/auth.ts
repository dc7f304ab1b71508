// AUTH <mechanism> [<initial response>] (RFC 5034) with the SASL mechanisms shared with
// imapd (@courier-imap/authlib). Challenges are `+ <base64>`; `*` aborts; `=` is an empty
// initial response. AUTH without a mechanism is not a listing in Courier: invalid command.

import { hostname } from "node:os";
import { type SaslIo, saslAuthenticate } from "@courier-imap/authlib";
import { externalIdentity, tlsRequired } from "@courier-imap/tcpd/tls/availability";
import type { Session } from "../session/session.js";
import { loginFailed, startSession, temporaryFailure } from "./login-result.js";
import { type Handler, words } from "./types.js";

const MAX_RESPONSE = 8192;

function saslIo(s: Session): SaslIo {
  return {
    async challenge(data) {
      await s.out.line(`+ ${data.toString("base64")}`);
      await s.out.flush();
      return (await s.input.readLine(MAX_RESPONSE)) ?? undefined;
    },
  };
}

export const auth: Handler = async (s, args) => {
  const [mech, initialArg, extra] = words(args);
  if (!mech || extra !== undefined) return s.reply(false, "Invalid command.");
  if (tlsRequired(s.settings.env, "POP3")) return s.reply(false, "TLS required to log in.");
  const env = s.settings.env;
  const result = await saslAuthenticate(mech, initialArg === "=" ? "" : initialArg, saslIo(s), {
    auth: { socket: s.settings.authSocket },
    service: s.settings.authService,
    meta: { TCPREMOTEIP: s.settings.remoteIp },
    hostname: env.HOSTNAME || hostname(),
    external: externalIdentity(env),
    env,
  });
  switch (result.kind) {
    case "ok":
      return startSession(s, result.user, result.record);
    case "fail":
      return loginFailed(s, result.user, mech.toUpperCase(), "Authentication failed.");
    case "tempfail":
      return temporaryFailure(s);
    case "eof":
      s.close("DISCONNECTED");
      return;
    case "aborted":
      return s.reply(false, "Authentication aborted.");
    case "malformed":
      return loginFailed(s, undefined, mech.toUpperCase(), "Authentication failed.");
    case "unsupported":
      return s.reply(false, "Authentication failed.");
  }
};
