// The MIME structure of each message, parsed once per session from the stored file and
// kept (up to MAX_CACHED per folder, oldest dropped first) for BODY[section] and the
// header text SEARCH HEADER needs beyond the cached summary (summary.ts).

import type { Folder, MessageInfo } from "@courier-imap/maildir";
import { baseName } from "@courier-imap/maildir";
import { MessageParser, type MessageStructure } from "@courier-imap/mime";

const MAX_CACHED = 5000;
const caches = new WeakMap<Folder, Map<string, MessageStructure>>();

export function messageStructure(folder: Folder, msg: MessageInfo): MessageStructure {
  let cache = caches.get(folder);
  if (!cache) caches.set(folder, (cache = new Map()));
  const key = baseName(msg.filename);
  const hit = cache.get(key);
  if (hit) return hit;
  const parser = new MessageParser({ lineEndings: "lf" });
  folder.readChunksSync(msg, (chunk) => void parser.write(chunk));
  const structure = parser.end();
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(key, structure);
  return structure;
}
