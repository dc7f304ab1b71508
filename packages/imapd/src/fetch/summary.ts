// What FETCH, SEARCH, SORT and THREAD most often want of a message, computed in one read
// and one parse of its file and kept in the folder's courierimapcache (maildir
// message-cache.ts) for the next session: sizes, the rendered ENVELOPE, BODY and
// BODYSTRUCTURE, the raw envelope fields and the raw values of the header fields that
// SEARCH and THREAD look at. Bump FORMAT whenever any of these would come out differently.

import type { Folder, MessageInfo } from "@courier-imap/maildir";
import { baseName } from "@courier-imap/maildir";
import {
  type EnvelopeFields,
  MessageParser,
  plainTextParts,
  rawFieldValues,
  renderBodyStructure,
  renderEnvelope,
} from "@courier-imap/mime";
import type { Session } from "../session/session.js";

const FORMAT = "imapd-summary-1";

/** Header fields whose values are kept (SEARCH FROM/TO/CC/BCC/SUBJECT, THREAD, common HEADER keys). */
export const SUMMARY_FIELDS = [
  "subject",
  "from",
  "to",
  "cc",
  "bcc",
  "references",
  "message-id",
  "in-reply-to",
] as const;

export interface MessageSummary {
  /** RFC822.SIZE, and the size of the header in the CRLF form (as folder.crlfInfo gives them). */
  size: number;
  headerSize: number;
  /** Rendered ENVELOPE, BODY and BODYSTRUCTURE (binary strings). */
  envelope: string;
  body: string;
  bodystructure: string;
  /** The top-level envelope fields as the parser keeps them. */
  env: EnvelopeFields;
  /** Raw values of each SUMMARY_FIELDS field, in order; null when the header was too big to keep. */
  fields: Record<string, string[]> | null;
  /** Every text part is stored as it is decoded (mime plain-text.ts): SEARCH BODY may look at the file. */
  plainText: boolean;
}

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string");
}

/** Shape check of a value read back from the cache file. */
function isSummary(v: unknown): v is MessageSummary {
  if (typeof v !== "object" || v === null) return false;
  const s = v as Record<string, unknown>;
  if (typeof s.size !== "number" || typeof s.headerSize !== "number") return false;
  if (typeof s.envelope !== "string" || typeof s.body !== "string" || typeof s.bodystructure !== "string")
    return false;
  if (typeof s.plainText !== "boolean") return false;
  if (typeof s.env !== "object" || s.env === null || Array.isArray(s.env)) return false;
  for (const x of Object.values(s.env)) if (typeof x !== "string") return false;
  if (s.fields === null) return true;
  if (typeof s.fields !== "object" || s.fields === undefined) return false;
  const f = s.fields as Record<string, unknown>;
  return SUMMARY_FIELDS.every((n) => isStrings(f[n]));
}

function compute(folder: Folder, msg: MessageInfo): MessageSummary {
  const parser = new MessageParser({ lineEndings: "lf" });
  let only: Buffer | undefined;
  let chunks = 0;
  folder.readChunksSync(msg, (chunk) => {
    parser.write(chunk);
    only = chunks++ === 0 ? chunk : undefined;
  });
  const st = parser.end();
  // Sizes as BODY[] / RFC822.SIZE compute them (crlf.ts), not the parser's, so all agree.
  const crlf = only ? folder.crlfInfoOf(msg, only) : folder.crlfInfoSync(msg);
  const root = st.root;
  return {
    size: crlf.size,
    headerSize: crlf.headerSize,
    envelope: renderEnvelope(root.envelope),
    body: renderBodyStructure(root, { extended: false }),
    bodystructure: renderBodyStructure(root, { extended: true }),
    env: root.envelope ?? {},
    fields: root.header === undefined ? null : rawFieldValues(root.header, SUMMARY_FIELDS),
    plainText: plainTextParts(root),
  };
}

/**
 * Writes the summaries this command computed to the folder's cache file, after the reply
 * is on its way so that the client does not wait for it.
 */
export async function saveSummaries(s: Session): Promise<void> {
  await s.out.flush();
  s.mailbox?.folder.saveMessageCaches();
}

/** The summary of the message if the cache has one for this very file (nothing is computed). */
export function cachedSummary(folder: Folder, msg: MessageInfo): MessageSummary | undefined {
  const hit = folder.messageCache(FORMAT).get(baseName(msg.filename), () => folder.stampSync(msg));
  return isSummary(hit) ? hit : undefined;
}

/** The message's summary: from the cache when it describes this very file, else computed and cached. */
export function messageSummary(folder: Folder, msg: MessageInfo): MessageSummary {
  const hit = cachedSummary(folder, msg);
  if (hit) return hit;
  const cache = folder.messageCache(FORMAT);
  const base = baseName(msg.filename);
  const s = compute(folder, msg);
  cache.set(base, folder.stampSync(msg), s);
  return s;
}
