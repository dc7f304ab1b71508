// Courier's pop3d log lines on stderr (pop3d-and-tcpd.md §2-3, imapd-behaviour.md §13):
// a logger turns the `INFO:`-style prefix into a syslog priority; fail2ban greps them.
// We write the correct 5.0.x form (`INFO: LOGOUT`), not 6.0.x's `disc` bug.

import type { Settings } from "./settings.js";

/** Makes a client-controlled string safe for one log line: control characters become `.`. */
export function sanitize(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, ".");
}

export interface Pop3Counters {
  top: number;
  retr: number;
  rcvd: number;
  sent: number;
  seconds: number;
}

export type EndKind = "LOGOUT" | "DISCONNECTED" | "TIMEOUT";

export class Pop3Log {
  /** The client used STLS: `, stls=1` on LOGIN and LOGOUT lines (Courier ≥ 5.2.6). */
  stls = false;

  constructor(
    private readonly settings: Settings,
    private readonly sink: (line: string) => void = (l) => process.stderr.write(l),
  ) {}

  where(): string {
    return `ip=[${sanitize(this.settings.remoteIp)}], port=[${sanitize(this.settings.remotePort)}]`;
  }

  private tls(): string {
    return this.stls ? ", stls=1" : "";
  }

  line(level: "INFO" | "DEBUG" | "ERR" | "WARN", text: string): void {
    this.sink(`${level}: ${text}\n`);
  }

  connection(): void {
    this.line("DEBUG", `Connection, ${this.where()}`);
  }

  loginFailed(user: string | undefined, method?: string): void {
    const who = user !== undefined ? `user=${sanitize(user)}` : `method=${sanitize(method ?? "")}`;
    this.line("INFO", `LOGIN FAILED, ${who}, ${this.where()}`);
  }

  login(user: string): void {
    this.line("INFO", `LOGIN, user=${sanitize(user)}, ${this.where()}${this.tls()}`);
  }

  deleted(user: string, filename: string): void {
    this.line("INFO", `DELETED, user=${sanitize(user)}, ${this.where()}, filename=cur/${sanitize(filename)}`);
  }

  /** The end of a logged-in session, or of one that never logged in. */
  end(kind: EndKind, user: string | undefined, c: Pop3Counters): void {
    if (user === undefined) {
      if (kind === "LOGOUT") this.line("INFO", `LOGOUT, ${this.where()}`);
      else this.line("DEBUG", `Disconnected, ${this.where()}, time=${c.seconds}`);
      return;
    }
    this.line(
      "INFO",
      `${kind}, user=${sanitize(user)}, ${this.where()}, top=${c.top}, retr=${c.retr}, ` +
        `rcvd=${c.rcvd}, sent=${c.sent}, time=${c.seconds}${this.tls()}`,
    );
  }
}
