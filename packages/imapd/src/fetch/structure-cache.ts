// The MIME structure of each message, parsed once per session from the stored file and
// kept (up to MAX_CACHED per folder, oldest dropped first) for ENVELOPE, BODYSTRUCTURE,
// BODY[section] and SEARCH header keys.

import type { Folder, MessageInfo } from "@courier-imap/maildir";
import { type MessageStructure, parseMessageStream } from "@courier-imap/mime";

const MAX_CACHED = 5000;
const caches = new WeakMap<Folder, Map<string, MessageStructure>>();

function keyOf(msg: MessageInfo): string {
  const colon = msg.filename.lastIndexOf(":");
  return colon < 0 ? msg.filename : msg.filename.slice(0, colon);
}

export async function messageStructure(folder: Folder, msg: MessageInfo): Promise<MessageStructure> {
  let cache = caches.get(folder);
  if (!cache) caches.set(folder, (cache = new Map()));
  const key = keyOf(msg);
  const hit = cache.get(key);
  if (hit) return hit;
  const structure = await parseMessageStream(await folder.openRaw(msg), { lineEndings: "lf" });
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(key, structure);
  return structure;
}
