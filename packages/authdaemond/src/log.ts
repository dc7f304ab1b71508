// Courier-style log lines on stderr (`INFO: …`, `ERR: …`, `DEBUG: …`), which courierlogger
// or systemd map to syslog priorities. Control characters become `.` so that
// user-supplied strings cannot forge log lines. Like Courier (a 1024-byte buffer, each
// byte tested with isprint), every byte outside printable ASCII becomes `.`.

import type { ModuleLogger } from "@courier-imap/authlib";

const MAX_LINE = 1023;

export function clean(msg: string): string {
  return Buffer.from(msg, "utf8")
    .subarray(0, MAX_LINE)
    .toString("latin1")
    .replace(/[^\x20-\x7e]/g, ".");
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
