// One connection: the plain state plus the live handles the commands work with.

import type { Folder, Maildir } from "@courier-imap/maildir";
import type { Endpoints } from "@courier-imap/tcpd/endpoints";
import type { Input } from "../io/input.js";
import type { Output } from "../io/output.js";
import type { CommandReader } from "../parser/reader.js";
import type { SessionLog, TrafficCounters } from "./log.js";
import type { Settings } from "./settings.js";
import type { SessionState } from "./state.js";

export interface OpenMailbox {
  folder: Folder;
  readOnly: boolean;
}

export class Session {
  maildir?: Maildir;
  mailbox?: OpenMailbox;
  /** The connection itself, for STARTTLS. */
  endpoints?: Endpoints;

  constructor(
    readonly state: SessionState,
    readonly settings: Settings,
    readonly input: Input,
    readonly out: Output,
    readonly reader: CommandReader,
    readonly log: SessionLog,
  ) {}

  untagged(text: string): void {
    this.out.write(`* ${text}\r\n`);
  }

  tagged(tag: string, status: "OK" | "NO" | "BAD", text: string): void {
    this.out.write(`${tag} ${status} ${text}\r\n`);
  }

  /** How the session ended, for the log line; "silent" logs nothing (e.g. after an auth BYE). */
  endReason?: "LOGOUT" | "silent";

  /** Ends the session after the current command (its BYE has been written). */
  close(reason: "LOGOUT" | "silent" = "LOGOUT"): void {
    this.state.phase = "logout";
    this.endReason = reason;
  }

  counters(): TrafficCounters {
    return {
      headers: this.state.headerBytes,
      body: this.state.bodyBytes,
      rcvd: this.input.received,
      sent: this.out.sent,
      seconds: Math.floor((Date.now() - this.state.startedAt) / 1000),
    };
  }
}
