// Delivering a message into new/ (or cur/ with flags): see write-message.ts. Content is
// stored as given (LF).

import type { Flag } from "./flags.js";
import { type MessageSource, storeMessage } from "./write-message.js";

export interface DeliverOptions {
  /** Deliver into cur/ with these flags instead of into new/. */
  flags?: Flag[];
  /** Set the mtime (INTERNALDATE). */
  date?: Date;
  dirsync?: boolean;
}

/** Returns the final file name (relative to new/ or cur/). */
export async function deliver(
  folderPath: string,
  content: MessageSource,
  opts: DeliverOptions = {},
): Promise<string> {
  return (await storeMessage(folderPath, content, opts)).filename;
}
