// The server side of SASL, shared by imapd (AUTHENTICATE) and pop3d (AUTH): the protocol
// supplies the challenge/response channel, the mechanisms talk to authdaemond.

import type { ClientOptions } from "../client.js";
import type { Meta } from "../protocol.js";
import type { AuthRecord } from "../record.js";

export interface SaslIo {
  /**
   * Sends a challenge (the protocol writes `+ <base64>`) and resolves with the client's
   * response line as sent (base64, or `*`), or undefined when the input ended.
   */
  challenge(data: Buffer): Promise<string | undefined>;
}

export interface SaslContext {
  auth: ClientOptions;
  /** authdaemond service name (AUTHSERVICE<port>, imap, pop3). */
  service: string;
  meta?: Meta;
  /** Host name for CRAM challenges. */
  hostname: string;
  /** The verified identity of a TLS client certificate, for EXTERNAL. */
  external?: string;
  /** DEFDOMAIN / DOMAINSEP come from here (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export type SaslResult =
  /** `user` is the login name for log lines; record is authdaemond's reply. */
  | { kind: "ok"; user: string; record: AuthRecord }
  | { kind: "fail"; user?: string }
  | { kind: "tempfail" }
  /** The client answered `*`. */
  | { kind: "aborted" }
  /** The client's input ended mid-exchange. */
  | { kind: "eof" }
  /** Not valid base64 or not the mechanism's syntax. */
  | { kind: "malformed"; reason: string }
  | { kind: "unsupported" };

export type Mechanism = (initial: string | undefined, io: SaslIo, ctx: SaslContext) => Promise<SaslResult>;
