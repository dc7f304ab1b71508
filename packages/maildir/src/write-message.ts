// Writing a message the crash-safe Maildir way (maildir-formats.md §2.1, §2.5, §10): stream
// it into a unique tmp/ file, fsync, then link() it to its final name in new/ or cur/ (rename
// on EXDEV) and unlink the tmp name. A reader never sees a partial file in new/ or cur/; a
// crash leaves at most a tmp/ file, which the 36-hour purge removes.

import { constants } from "node:fs";
import { type FileHandle, link, open, rename, unlink, utimes } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { type Flag, nameWithFlags } from "./flags.js";
import { safeOpen } from "./safe-open.js";
import { uniqueTmpName } from "./unique-name.js";

export type MessageSource = Readable | AsyncIterable<Uint8Array> | Uint8Array | string;

export interface StoreMessageOptions {
  /** Store into cur/ with these flags (APPEND/COPY); absent: deliver into new/. */
  flags?: Flag[];
  /** mtime = INTERNALDATE. */
  date?: Date;
  /** APPEND: drop every CR and end with LF, as Courier's imapd. */
  stripCr?: boolean;
  /** fsync the file before publishing it (default true). */
  fsync?: boolean;
  /** fsync new/ and cur/ afterwards (Courier's dirsync option). */
  dirsync?: boolean;
  mode?: number;
  /** Runs with the final size once the tmp file is complete, before it becomes visible; throw to abort. */
  beforePublish?: (size: number) => Promise<void>;
  skipSymlinkChecks?: boolean;
}

export interface StoredMessage {
  /** Final file name inside new/ or cur/. */
  filename: string;
  sub: "new" | "cur";
  /** Bytes stored. */
  size: number;
}

function hex16(n: bigint): string {
  return n.toString(16).toUpperCase().padStart(16, "0");
}

function withoutCr(buf: Uint8Array): Uint8Array {
  if (buf.indexOf(13) < 0) return buf;
  const out = Buffer.allocUnsafe(buf.length);
  let o = 0;
  for (const b of buf) if (b !== 13) out[o++] = b;
  return out.subarray(0, o);
}

async function* chunksOf(source: MessageSource): AsyncIterable<Uint8Array> {
  if (typeof source === "string") yield Buffer.from(source);
  else if (source instanceof Uint8Array) yield source;
  else for await (const c of source) yield typeof c === "string" ? Buffer.from(c) : c;
}

async function writeAll(fh: FileHandle, source: MessageSource, stripCr: boolean): Promise<number> {
  let size = 0;
  let last = -1;
  for await (const raw of chunksOf(source)) {
    const chunk = stripCr ? withoutCr(raw) : raw;
    if (!chunk.length) continue;
    let off = 0;
    while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
    size += chunk.length;
    last = chunk[chunk.length - 1];
  }
  if (stripCr && last !== 10) {
    await fh.write(Buffer.from("\n"));
    size++;
  }
  return size;
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function storeMessage(
  folderPath: string,
  source: MessageSource,
  opts: StoreMessageOptions = {},
): Promise<StoredMessage> {
  const tmpName = uniqueTmpName();
  const tmp = join(folderPath, "tmp", tmpName);
  const flags = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY;
  const fh = await safeOpen(tmp, flags, opts.mode ?? 0o644, opts.skipSymlinkChecks);
  let published = false;
  try {
    let size: number;
    let dev: bigint;
    let ino: bigint;
    try {
      size = await writeAll(fh, source, !!opts.stripCr);
      if (opts.fsync !== false) await fh.sync();
      const st = await fh.stat({ bigint: true });
      dev = st.dev;
      ino = st.ino;
    } finally {
      await fh.close();
    }
    await opts.beforePublish?.(size);
    const us = tmpName.indexOf("_");
    let filename = `${tmpName.slice(0, us)}V${hex16(dev)}I${hex16(ino)}${tmpName.slice(us)},S=${size}`;
    const sub = opts.flags ? "cur" : "new";
    if (opts.flags) filename = nameWithFlags(filename, opts.flags);
    const dest = join(folderPath, sub, filename);
    try {
      await link(tmp, dest);
      published = true;
      await unlink(tmp).catch(() => {});
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EXDEV") throw e;
      await rename(tmp, dest);
      published = true;
    }
    if (opts.date) await utimes(dest, opts.date, opts.date);
    if (opts.dirsync) await fsyncDir(join(folderPath, sub));
    return { filename, sub, size };
  } finally {
    if (!published) await unlink(tmp).catch(() => {});
  }
}
