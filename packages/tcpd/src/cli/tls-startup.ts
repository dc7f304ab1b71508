// couriertcpd's TLS check at start (see ../tls/check.ts): exit status 1 on a bad setting.

import { checkTlsConfig, TlsConfigError, tlsWanted } from "../tls/index.js";

export const TLS_HELP = `TLS: when IMAP_TLS/POP3_TLS is non-zero or IMAP_STARTTLS/POP3_STARTTLS is YES, the
TLS_* settings and the files they name are checked once at start; a bad one stops
couriertcpd with a message naming the variable. Workers read the certificate for
each connection, so a renewed certificate is used from the next connection on.
`;

/** Undefined when TLS is fine or unused; else the exit status. */
export function tlsStartupCheck(env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (!tlsWanted(env)) return undefined;
  try {
    for (const w of checkTlsConfig(env)) process.stderr.write(`WARN: ${w}\n`);
  } catch (e) {
    if (!(e instanceof TlsConfigError)) throw e;
    process.stderr.write(`couriertcpd: ${e.message}\n`);
    return 1;
  }
  return undefined;
}
