// Courier-style log lines on stderr (`INFO: …`, `ERR: …`, `DEBUG: …`), which courierlogger
// or systemd map to syslog priorities. Control characters become `.` so that
// user-supplied strings cannot forge log lines.

import type { ModuleLogger } from "@courier-imap/authlib";

const MAX_LINE = 1023;

function clean(msg: string): string {
  return msg.replace(/[\x00-\x1f\x7f]/g, ".").slice(0, MAX_LINE);
}

export class Logger implements ModuleLogger {
  constructor(
    readonly debugLevel = 0,
    private readonly write: (line: string) => void = (l) => process.stderr.write(l),
  ) {}

  info(msg: string): void {
    this.write(`INFO: ${clean(msg)}\n`);
  }

  warn(msg: string): void {
    this.write(`WARN: ${clean(msg)}\n`);
  }

  err(msg: string): void {
    this.write(`ERR: ${clean(msg)}\n`);
  }

  debug(msg: string, level = 1): void {
    if (this.debugLevel >= level) this.write(`DEBUG: ${clean(msg)}\n`);
  }
}
