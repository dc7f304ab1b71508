// USER / PASS (RFC 1939 §7). The name and the password are the rest of the line, spaces
// included. TLS required (POP3_TLS_REQUIRED) refuses both before STLS.

import { authLogin } from "@courier-imap/authlib";
import { tlsRequired } from "@courier-imap/tcpd/tls/availability";
import { loginFailed, startSession, temporaryFailure } from "./login-result.js";
import type { Handler } from "./types.js";

export const user: Handler = async (s, args) => {
  if (tlsRequired(s.settings.env, "POP3")) return s.reply(false, "TLS required to log in.");
  if (!args) return s.reply(false, "Invalid command.");
  s.pendingUser = args;
  return s.reply(true, "Password required.");
};

export const pass: Handler = async (s, args) => {
  const name = s.pendingUser;
  s.pendingUser = undefined;
  if (tlsRequired(s.settings.env, "POP3")) return s.reply(false, "TLS required to log in.");
  if (name === undefined) return s.reply(false, "USER/PASS required.");
  const res = await authLogin({ socket: s.settings.authSocket }, s.settings.authService, name, args, {
    TCPREMOTEIP: s.settings.remoteIp,
  });
  if (res.kind === "tempfail") return temporaryFailure(s);
  if (res.kind === "fail") return loginFailed(s, name, undefined, "Login failed.");
  return startSession(s, name, res.record);
};
