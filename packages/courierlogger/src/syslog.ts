// Sends messages to the local syslog socket the way glibc's syslog(3) does: one datagram
// `<PRI>Mmm dd hh:mm:ss ident: message` (local time, no pid: courierlogger opens the log
// without LOG_PID) on an AF_UNIX SOCK_DGRAM socket connected to /dev/log. A syslogd that
// restarted is reconnected once per message; without one, messages are dropped, as glibc does.

import { appendFileSync } from "node:fs";
import { closeFd, connectUnixDgram, sendDatagram } from "./libc.js";

/** Overrides /dev/log (tests bind their own datagram socket). */
export const SYSLOG_SOCKET_ENV = "COURIER_SYSLOG_SOCKET";

export const FACILITIES: Readonly<Record<string, number>> = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};

export const PRIORITY = { alert: 1, crit: 2, err: 3, warning: 4, notice: 5, info: 6, debug: 7 } as const;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/** glibc's `%h %e %T` in local time. */
export function syslogTimestamp(d: Date): string {
  const day = String(d.getDate()).padStart(2, " ");
  return `${MONTHS[d.getMonth()]} ${day} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

export function formatDatagram(pri: number, ident: string, message: Buffer, date = new Date()): Buffer {
  return Buffer.concat([Buffer.from(`<${pri}>${syslogTimestamp(date)} ${ident}: `), message]);
}

export interface LogSink {
  /** `priority` is a syslog level (PRIORITY.*); `message` the raw bytes of one line. */
  write(priority: number, message: Buffer): void;
  close(): void;
}

export class Syslog implements LogSink {
  private fd = -1;
  readonly facility: number;

  constructor(
    readonly ident: string,
    facility: string | number = "mail",
    readonly path = process.env[SYSLOG_SOCKET_ENV] || "/dev/log",
  ) {
    const f = typeof facility === "number" ? facility : FACILITIES[facility];
    if (f === undefined) throw new Error(`Unknown facility name '${facility}'`);
    this.facility = f;
  }

  write(priority: number, message: Buffer): void {
    const data = formatDatagram(this.facility * 8 + priority, this.ident, message);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (this.fd < 0) this.fd = connectUnixDgram(this.path);
      if (this.fd < 0) return;
      if (sendDatagram(this.fd, data)) return;
      this.close();
    }
  }

  close(): void {
    if (this.fd >= 0) closeFd(this.fd);
    this.fd = -1;
  }
}

/** Our extension (-file=): the same lines appended to a file, as syslogd would write them. */
export class FileLog implements LogSink {
  constructor(
    readonly ident: string,
    readonly file: string,
  ) {}

  write(_priority: number, message: Buffer): void {
    const head = `${syslogTimestamp(new Date())} ${this.ident}: `;
    appendFileSync(this.file, Buffer.concat([Buffer.from(head), message, Buffer.from("\n")]), {
      mode: 0o640,
    });
  }

  close(): void {}
}
