// INBOX as pop3d sees it (pop3d-and-tcpd.md §3): at login purge tmp/ by mtime (48 h), move
// new/ to cur/, then sizes and UIDLs from courierpop3dsizelist; RETR marks \Seen; DELE'd
// messages are unlinked at QUIT with the quota released.

import { constants, renameSync } from "node:fs";
import { stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { nameWithFlags, parseFlags } from "./flags.js";
import { syncSizeList, uidlOf } from "./pop3-sizelist.js";
import { addQuotaUsage, isCountedFile, sizeFromName } from "./quota.js";
import { readSmallSafeSync, safeOpen } from "./safe-open.js";
import { listDir, moveNewToCur } from "./scan.js";
import { POP3_TMP_MAX_AGE_MS, purgeStaleTmp } from "./tmp-purge.js";

export interface Pop3Message {
  /** Current cur/ file name. */
  filename: string;
  /** RFC 1939 octets. */
  size: number;
  uidl: string;
  /** The header has 8-bit bytes (the session may need to wrap it). */
  utf8: boolean;
}

/** Messages up to this size are read whole, synchronously; larger ones are streamed. */
const SMALL_MESSAGE = 256 * 1024;

const toLatin1 = (s: string) => Buffer.from(s).toString("latin1");
const fromLatin1 = (s: string) => Buffer.from(s, "latin1").toString();

export class Pop3Mailbox {
  private constructor(
    readonly root: string,
    readonly messages: Pop3Message[],
    private readonly trashQuota: boolean,
  ) {}

  static async open(root: string, opts: { trashQuota?: boolean } = {}): Promise<Pop3Mailbox> {
    await purgeStaleTmp(root, Date.now(), POP3_TMP_MAX_AGE_MS, "mtime");
    await moveNewToCur(root);
    const names = (await listDir(join(root, "cur"))).map(toLatin1);
    const entries = await syncSizeList(root, names);
    const messages = entries.map((e) => ({
      filename: fromLatin1(e.filename),
      size: e.size,
      uidl: uidlOf(e),
      utf8: e.utf8,
    }));
    return new Pop3Mailbox(root, messages, !!opts.trashQuota);
  }

  path(msg: Pop3Message): string {
    return join(this.root, "cur", msg.filename);
  }

  /** The stored (LF) bytes; ENOENT when the file is gone. */
  async openRaw(msg: Pop3Message): Promise<Readable> {
    const small = readSmallSafeSync(this.path(msg), SMALL_MESSAGE);
    if (small) return Readable.from([small], { objectMode: false });
    const fh = await safeOpen(this.path(msg), constants.O_RDONLY);
    return fh.createReadStream();
  }

  /** RETR: adds S (and `:2,` when missing). */
  async markSeen(msg: Pop3Message): Promise<void> {
    const flags = parseFlags(msg.filename);
    if (flags.includes("\\Seen")) return;
    const target = nameWithFlags(msg.filename, [...flags, "\\Seen"]);
    try {
      renameSync(this.path(msg), join(this.root, "cur", target));
      msg.filename = target;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }

  /** QUIT: unlinks the DELE'd messages and appends one negative quota line; returns those removed. */
  async deleteMessages(msgs: Iterable<Pop3Message>): Promise<Pop3Message[]> {
    const done: Pop3Message[] = [];
    let bytes = 0;
    let count = 0;
    for (const m of msgs) {
      const p = this.path(m);
      let size = sizeFromName(m.filename);
      try {
        size ??= (await stat(p)).size;
        await unlink(p);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw e;
      }
      done.push(m);
      if (isCountedFile(m.filename, this.trashQuota)) {
        bytes += size;
        count++;
      }
    }
    if (count) await addQuotaUsage(this.root, -bytes, -count);
    return done;
  }
}
