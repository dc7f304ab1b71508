// One POP3 connection: AUTHORIZATION (pre-login) → TRANSACTION → UPDATE (at QUIT).

import type { Pop3Mailbox, Pop3Message } from "@courier-imap/maildir";
import type { Endpoints } from "@courier-imap/tcpd/endpoints";
import type { LineInput } from "../io/line-input.js";
import type { Output } from "../io/output.js";
import type { EndKind, Pop3Counters, Pop3Log } from "./log.js";
import type { Settings } from "./settings.js";

export type Phase = "authorization" | "transaction" | "done";

export class Session {
  phase: Phase = "authorization";
  /** The name given by USER, waiting for PASS. */
  pendingUser: string | undefined;
  /** The logged-in user (for log lines). */
  user: string | undefined;
  /** The client sent UTF8 (RFC 6856): 8-bit headers are sent as they are. */
  utf8 = false;
  mailbox: Pop3Mailbox | undefined;
  /** Indexes (0-based) of DELE'd messages; applied only at QUIT. */
  readonly deleted = new Set<number>();
  top = 0;
  retr = 0;
  /** How the session ended; "silent" logs nothing more (already reported). */
  endKind: EndKind | "silent" | undefined;
  private readonly started = Date.now();

  constructor(
    readonly settings: Settings,
    readonly ends: Endpoints,
    readonly input: LineInput,
    readonly out: Output,
    readonly log: Pop3Log,
  ) {}

  /** `+OK text` or `-ERR text`. */
  reply(ok: boolean, text: string): Promise<void> {
    return this.out.line(`${ok ? "+OK" : "-ERR"} ${text}`);
  }

  /** The message with 1-based number `arg`, unless missing or DELE'd. */
  message(arg: string | undefined): { index: number; msg: Pop3Message } | undefined {
    if (!this.mailbox || arg === undefined || !/^\d{1,9}$/.test(arg)) return undefined;
    const index = Number(arg) - 1;
    const msg = this.mailbox.messages[index];
    if (!msg || this.deleted.has(index)) return undefined;
    return { index, msg };
  }

  close(kind: EndKind | "silent"): void {
    this.endKind = kind;
    this.phase = "done";
  }

  counters(): Pop3Counters {
    return {
      top: this.top,
      retr: this.retr,
      rcvd: this.input.received,
      sent: this.out.sent,
      seconds: Math.floor((Date.now() - this.started) / 1000),
    };
  }
}
