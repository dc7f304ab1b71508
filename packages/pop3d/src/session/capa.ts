// CAPA (RFC 2449), Courier's set (pop3d-and-tcpd.md §2.1); the same before and after login.

import { externalIdentity, starttlsAvailable, tlsActive } from "@courier-imap/tcpd/tls/availability";

/** The SASL mechanisms to advertise: POP3AUTH_TLS with TLS (when set), else POP3AUTH. */
export function saslList(env: NodeJS.ProcessEnv): string[] {
  const tls = tlsActive(env, "POP3");
  const list = (tls && env.POP3AUTH_TLS?.trim() ? env.POP3AUTH_TLS : (env.POP3AUTH ?? "")).split(/\s+/);
  const mechs = list.filter(Boolean);
  if (tls && externalIdentity(env)) mechs.push("EXTERNAL");
  return mechs;
}

export function capaLines(env: NodeJS.ProcessEnv): string[] {
  const lines = ["+OK Here's what I can do:"];
  const sasl = saslList(env);
  if (sasl.length) lines.push(`SASL ${sasl.join(" ")}`);
  if (starttlsAvailable(env, "POP3")) lines.push("STLS");
  lines.push(
    "TOP",
    "USER",
    "LOGIN-DELAY 10",
    "PIPELINING",
    "UIDL",
    "UTF8 USER",
    "LANG",
    "IMPLEMENTATION Courier Mail Server",
    ".",
  );
  return lines;
}
