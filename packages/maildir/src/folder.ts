// An open folder: the message list of the last scan, lazy per-message facts (mtime, CRLF
// size) cached across scans by base name, flag changes, and the CRLF content stream.

import { readdir, rename, stat } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { type CrlfInfo, crlfRange, measureCrlf } from "./crlf.js";
import { baseName, type Flag, nameWithFlags, normalizeFlags, parseFlags } from "./flags.js";
import { scanFolder } from "./scan.js";

export interface MessageInfo {
  uid: number;
  /** Current file name in cur/. */
  filename: string;
  /** System flags, canonical order (D F R S T). */
  flags: Flag[];
  /** \Recent: this session's scan was the first to see the message. */
  recent: boolean;
}

export interface ScanResult {
  uidValidity: number;
  nextUid: number;
  messages: MessageInfo[];
}

export type FolderAccess = "read-write" | "read-only";

interface Facts {
  mtime?: Date;
  crlf?: CrlfInfo;
}

export class Folder {
  private current: MessageInfo[] = [];
  private readonly recentUids = new Set<number>();
  private readonly facts = new Map<string, Facts>();
  uidValidity = 0;
  nextUid = 1;

  constructor(
    /** IMAP name, e.g. INBOX. */
    readonly name: string,
    /** Directory holding tmp/ new/ cur/. */
    readonly path: string,
    readonly access: FolderAccess,
  ) {}

  get messages(): readonly MessageInfo[] {
    return this.current;
  }

  async scan(): Promise<ScanResult> {
    const out = await scanFolder(this.path, this.access === "read-write");
    for (const f of out.files) if (f.isNew) this.recentUids.add(f.uid);
    this.current = out.files.map((f) => ({
      uid: f.uid,
      filename: f.filename,
      flags: parseFlags(f.filename),
      recent: this.recentUids.has(f.uid),
    }));
    const live = new Set(this.current.map((m) => baseName(m.filename)));
    for (const key of this.facts.keys()) if (!live.has(key)) this.facts.delete(key);
    this.uidValidity = out.uidValidity;
    this.nextUid = out.nextUid;
    return { uidValidity: out.uidValidity, nextUid: out.nextUid, messages: this.current };
  }

  private factsOf(msg: MessageInfo): Facts {
    const key = baseName(msg.filename);
    let f = this.facts.get(key);
    if (!f) this.facts.set(key, (f = {}));
    return f;
  }

  filePath(msg: MessageInfo): string {
    return join(this.path, "cur", msg.filename);
  }

  /** INTERNALDATE: the file's mtime. */
  async internalDate(msg: MessageInfo): Promise<Date> {
    const f = this.factsOf(msg);
    f.mtime ??= (await this.withRelocation(msg, (p) => stat(p))).mtime;
    return f.mtime;
  }

  async crlfInfo(msg: MessageInfo): Promise<CrlfInfo> {
    const f = this.factsOf(msg);
    f.crlf ??= await this.withRelocation(msg, (p) => measureCrlf(p));
    return f.crlf;
  }

  /** RFC822.SIZE: bytes + LFs, computed once per message. */
  async rfc822Size(msg: MessageInfo): Promise<number> {
    return (await this.crlfInfo(msg)).size;
  }

  /** The CRLF form, or its bytes [start, start+length), as a stream. */
  async open(msg: MessageInfo, start = 0, length?: number): Promise<Readable> {
    const info = await this.crlfInfo(msg);
    const end = length === undefined ? info.size : Math.min(info.size, start + length);
    return Readable.from(crlfRange(this.filePath(msg), info, start, end), { objectMode: false });
  }

  /** Replaces the message's flags with one rename; returns false if nothing changed. */
  async setFlags(msg: MessageInfo, flags: Iterable<Flag>): Promise<boolean> {
    const wanted = normalizeFlags(flags);
    const target = nameWithFlags(msg.filename, wanted);
    if (target === msg.filename) return false;
    await this.withRelocation(msg, (p) => rename(p, join(this.path, "cur", target)));
    msg.filename = target;
    msg.flags = wanted;
    return true;
  }

  async addFlags(msg: MessageInfo, flags: Iterable<Flag>): Promise<boolean> {
    return this.setFlags(msg, [...msg.flags, ...flags]);
  }

  /** Runs `op` on the message's path; if the file was renamed underneath, finds it by base name once. */
  private async withRelocation<T>(msg: MessageInfo, op: (path: string) => Promise<T>): Promise<T> {
    try {
      return await op(this.filePath(msg));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      const base = baseName(msg.filename);
      const found = (await readdir(join(this.path, "cur"))).find((n) => baseName(n) === base);
      if (!found) throw e;
      msg.filename = found;
      msg.flags = parseFlags(found);
      return op(this.filePath(msg));
    }
  }
}
