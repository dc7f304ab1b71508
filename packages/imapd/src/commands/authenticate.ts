// AUTHENTICATE <mechanism> [<initial response>] (RFC 3501 §6.2.2, SASL-IR RFC 4959):
// the exchange is the shared SASL module's; here are IMAP's framing and replies.
// `=` is an empty initial response; `*` cancels.

import { hostname } from "node:os";
import { type SaslIo, saslAuthenticate } from "@courier-imap/authlib";
import { externalIdentity } from "@courier-imap/tcpd/tls/availability";
import { failed, startSession } from "../login/login-with-password.js";
import { refuseWithoutTls } from "../login/tls-required.js";
import { atom, expectCount } from "../parser/args.js";
import { BadCommand, CommandRefused } from "../session/errors.js";
import type { Session } from "../session/session.js";
import type { CommandHandler } from "./types.js";

const MAX_RESPONSE = 8192;

function saslIo(s: Session): SaslIo {
  return {
    async challenge(data) {
      s.out.write(`+ ${data.toString("base64")}\r\n`);
      await s.out.flush();
      const r = await s.input.readLine(MAX_RESPONSE);
      if (!r) return undefined;
      if (r.overflow) throw new BadCommand("response too long");
      return r.line.toString("latin1");
    },
  };
}

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 1, 2);
  const mech = atom(cmd.args[0], "mechanism").toUpperCase();
  let initial: string | undefined;
  if (cmd.args.length === 2) {
    initial = atom(cmd.args[1], "initial response");
    if (initial === "=") initial = "";
  }
  refuseWithoutTls(s);
  const env = s.settings.env;
  const result = await saslAuthenticate(mech, initial, saslIo(s), {
    auth: { socket: s.settings.authSocket },
    service: s.settings.authService,
    meta: { TCPREMOTEIP: s.settings.remoteIp },
    hostname: env.HOSTNAME || hostname(),
    external: externalIdentity(env),
    env,
  });
  switch (result.kind) {
    case "ok":
      return startSession(s, cmd.tag, result.user, result.record);
    case "fail":
      return failed(s, result.user, mech);
    case "tempfail":
      s.untagged("BYE Temporary problem, please try again later");
      s.close("silent");
      return;
    case "eof":
      s.close("silent");
      return;
    case "aborted":
      throw new BadCommand("AUTHENTICATE cancelled");
    case "malformed":
      throw new BadCommand(result.reason);
    case "unsupported":
      throw new CommandRefused("Unsupported authentication mechanism.");
  }
};
