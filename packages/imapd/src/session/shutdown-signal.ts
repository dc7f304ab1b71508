// SIGTERM (couriertcpd stopping, or the admin): the client is told, as Courier's imapd does,
// before the worker exits.

import type { Output } from "../io/output.js";

export const SHUTDOWN_BYE = "* BYE Courier-IMAP server shut down by signal.\r\n";

export function byeOnSignal(out: Output): void {
  process.once("SIGTERM", () => {
    setTimeout(() => process.exit(0), 1000).unref();
    out.write(SHUTDOWN_BYE);
    out.flush().finally(() => process.exit(0));
  });
}
