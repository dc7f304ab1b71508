// Courier-format log lines on stderr (imapd-behaviour.md §13). A logger process turns the
// `INFO:`-style prefixes into syslog priorities; fail2ban matches these lines verbatim.

import type { Settings } from "./settings.js";

/** Makes a user-controlled string safe for one log line: control characters become `.`. */
export function sanitize(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, ".");
}

export interface TrafficCounters {
  headers: number;
  body: number;
  rcvd: number;
  sent: number;
  seconds: number;
}

export class SessionLog {
  /**
   * The connection is encrypted: ", starttls=1" on LOGIN (Courier ≥ 5.2.6), LOGOUT and
   * Disconnected lines. Courier 5.0.13's imapd-ssl writes it for implicit TLS too.
   */
  starttls = false;

  constructor(
    private readonly settings: Settings,
    private readonly sink: (line: string) => void = (l) => process.stderr.write(l),
  ) {}

  /** `ip=[…], port=[…]` of this connection. */
  whereText(): string {
    return this.where();
  }

  private where(): string {
    return `ip=[${sanitize(this.settings.remoteIp)}], port=[${sanitize(this.settings.remotePort)}]`;
  }

  private tlsField(): string {
    return this.starttls ? ", starttls=1" : "";
  }

  line(level: "INFO" | "DEBUG" | "ERR" | "WARN", text: string): void {
    this.sink(`${level}: ${text}\n`);
  }

  loginFailed(user: string | undefined, method?: string): void {
    const who = user !== undefined ? `user=${sanitize(user)}` : `method=${sanitize(method ?? "")}`;
    this.line("INFO", `LOGIN FAILED, ${who}, ${this.where()}`);
  }

  login(user: string): void {
    this.line("INFO", `LOGIN, user=${sanitize(user)}, ${this.where()}, protocol=IMAP${this.tlsField()}`);
  }

  /** LOGOUT, DISCONNECTED or TIMEOUT of a logged-in session, or its pre-login form. */
  end(kind: "LOGOUT" | "DISCONNECTED" | "TIMEOUT", user: string | undefined, c: TrafficCounters): void {
    if (user === undefined) {
      if (kind === "LOGOUT") this.line("INFO", `LOGOUT, ${this.where()}, rcvd=${c.rcvd}, sent=${c.sent}`);
      else this.line("DEBUG", `Disconnected, ${this.where()}, time=${c.seconds}${this.tlsField()}`);
      return;
    }
    this.line(
      "INFO",
      `${kind}, user=${sanitize(user)}, ${this.where()}, headers=${c.headers}, body=${c.body}, ` +
        `rcvd=${c.rcvd}, sent=${c.sent}, time=${c.seconds}${this.tlsField()}`,
    );
  }
}
