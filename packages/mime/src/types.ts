// The cached, plain-data description of a message. Strings that come from the message are
// "binary" strings: one char per byte (latin1), so that 8-bit header bytes survive a JSON
// round trip and can be turned back into the exact bytes with Buffer.from(s, "latin1").
// Every offset and size is in the CRLF ("wire") form the IMAP client sees.

export interface MimePart {
  /** Offset of the first header byte in the message. */
  headerOffset: number;
  /** Size of the header including the blank line that ends it (if any). */
  headerSize: number;
  /** Size of the body; the body starts at headerOffset + headerSize. */
  bodySize: number;
  /** Number of line breaks in the body. */
  bodyLines: number;
  /** Content-Type as written (case kept); null when missing or unparseable. */
  type: string | null;
  subtype: string | null;
  /** Content-Type parameters as flat [name, value, name, value, …], RFC 2231 pieces joined. */
  params: string[];
  encoding: string | null;
  id: string | null;
  description: string | null;
  md5: string | null;
  disposition: string | null;
  dispositionParams: string[];
  /** Content-Language tags, null when the field is missing. */
  language: string[] | null;
  location: string | null;
  /** True for a part whose type defaulted to message/rfc822 (inside multipart/digest). */
  digestDefault?: boolean;
  /** Raw envelope fields of a message (the top level and each message/rfc822 body). */
  envelope?: EnvelopeFields;
  /** The header block in wire form, when it fitted in the retention limits. */
  header?: string;
  /** Children of a multipart/* part (possibly empty when no boundary was found). */
  parts?: MimePart[];
  /** The message inside a message/rfc822 (or message/global) part. */
  message?: MimePart;
}

/** Header values as Dovecot keeps them: leading white space dropped, folding kept. */
export interface EnvelopeFields {
  date?: string;
  subject?: string;
  from?: string;
  sender?: string;
  replyTo?: string;
  to?: string;
  cc?: string;
  bcc?: string;
  inReplyTo?: string;
  messageId?: string;
}

export interface MessageStructure {
  /** Format version of this object, for caches. */
  version: 1;
  /** Size of the whole message (RFC822.SIZE). */
  size: number;
  /** Number of line breaks in the whole message. */
  lines: number;
  root: MimePart;
}
