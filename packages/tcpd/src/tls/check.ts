// The start-up check of a listener whose workers will speak TLS: every TLS_* value and
// the files they name are loaded once, so a mistake stops the service with a message
// naming the variable instead of failing each connection.

import { secureContext } from "./context.js";
import { readable } from "./files.js";
import { readTlsSettings } from "./settings.js";

const isOn = (v: string | undefined) => (Number.parseInt(v ?? "", 10) || 0) !== 0;
const isYes = (v: string | undefined) => /^y/i.test(v ?? "");

/** "implicit" for imapd-ssl/pop3d-ssl, "starttls" when only STARTTLS/STLS is offered. */
export function tlsWanted(env: NodeJS.ProcessEnv): "implicit" | "starttls" | undefined {
  if (isOn(env.IMAP_TLS) || isOn(env.POP3_TLS)) return "implicit";
  if (isYes(env.IMAP_STARTTLS) || isYes(env.POP3_STARTTLS)) return "starttls";
  return undefined;
}

/** Throws TlsConfigError on the first bad setting; returns the warnings. */
export function checkTlsConfig(env: NodeJS.ProcessEnv): string[] {
  if (tlsWanted(env) === "starttls" && !(env.TLS_CERTFILE && readable(env.TLS_CERTFILE)))
    // Without a certificate, STARTTLS is simply not offered (see the workers' CAPABILITY).
    return [`TLS_CERTFILE: ${env.TLS_CERTFILE || "not set"} is not readable; STARTTLS will not be offered`];
  const s = readTlsSettings(env);
  secureContext(s);
  return s.warnings;
}
