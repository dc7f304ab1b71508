// An open folder: the message list of the last scan, lazy per-message facts (mtime, CRLF
// size) cached across scans by base name, flags and keywords, APPEND/COPY/MOVE/EXPUNGE, and
// change detection for NOOP/IDLE.

import {
  closeSync,
  constants,
  existsSync,
  readdirSync,
  readSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
} from "node:fs";
import { readdir, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { diffSnapshots, type FolderChanges, type FolderSnapshot } from "./changes.js";
import { type CrlfInfo, crlfRange, measureCrlfBuffer, measureCrlfSync } from "./crlf.js";
import { baseName, type Flag, latin1Name, nameWithFlags, normalizeFlags, parseFlags } from "./flags.js";
import { makeFolderDirs } from "./folder-dirs.js";
import { KEYWORDS_DIR, keywordKey, readKeywords, writeKeywordUpdate } from "./keywords.js";
import { withFolderLock } from "./lock.js";
import { fileStamp, MessageCache, nameStamp } from "./message-cache.js";
import { DEFAULT_OPTIONS, type StoreOptions } from "./options.js";
import {
  addQuotaUsage,
  checkQuota,
  isCountedFile,
  isCountedFolder,
  quotaRoot,
  sizeFromName,
} from "./quota.js";
import { safeOpen, safeOpenSync } from "./safe-open.js";
import { listDir, listDirSync, type ScanOutcome, scanFolderSync } from "./scan.js";
import { type FolderWatch, type WatchOptions, watchFolder } from "./watch.js";
import { type MessageSource, storeMessage } from "./write-message.js";

export interface MessageInfo {
  uid: number;
  /** Current file name in cur/. */
  filename: string;
  /** System flags, canonical order (D F R S T). */
  flags: Flag[];
  /** \Recent: this session's scan was the first to see the message. */
  recent: boolean;
  /** Keywords (courierimapkeywords), as first spelled. */
  keywords: string[];
}

export interface ScanResult {
  uidValidity: number;
  nextUid: number;
  messages: MessageInfo[];
}

export type FolderAccess = "read-write" | "read-only";

export interface AppendOptions {
  flags?: Flag[];
  keywords?: string[];
  /** INTERNALDATE; default now. */
  date?: Date;
}

export interface AppendResult {
  uidValidity: number;
  uid: number;
  filename: string;
}

export interface CopyResult {
  /** UIDVALIDITY of the destination. */
  uidValidity: number;
  /** [source UID, destination UID] pairs, in source order. */
  pairs: [number, number][];
}

interface Facts {
  mtime?: Date;
  crlf?: CrlfInfo;
  /** fileStamp() of the file, for MessageCache. */
  stamp?: string;
}

/** Files up to this size are read whole; larger ones in chunks of this size. */
const WHOLE_READ = 256 * 1024;
let chunkBuf: Buffer | undefined;

const latin1 = latin1Name;

export class Folder {
  private current: MessageInfo[] = [];
  private readonly recentUids = new Set<number>();
  private readonly facts = new Map<string, Facts>();
  /** Base names copied out of this folder in this session (expunge-to-Trash unlinks them). */
  private readonly copied = new Set<string>();
  private readonly caches = new Map<string, MessageCache>();
  uidValidity = 0;
  nextUid = 1;

  constructor(
    /** IMAP name, e.g. INBOX. */
    readonly name: string,
    /** Directory holding tmp/ new/ cur/. */
    readonly path: string,
    readonly access: FolderAccess,
    readonly options: StoreOptions = DEFAULT_OPTIONS,
    /** Maildir++ root; default: `..` of a folder with `maildirfolder`, else the path itself. */
    private root?: string,
  ) {}

  get messages(): readonly MessageInfo[] {
    return this.current;
  }

  private async rootPath(): Promise<string> {
    this.root ??= await quotaRoot(this.path);
    return this.root;
  }

  private lock<T>(fn: () => Promise<T>): Promise<T> {
    return withFolderLock(this.path, this.options.useLocks, fn, this.options.staleLockSleepMs);
  }

  /**
   * A scan that has nothing to write needs no lock: new/ empty, every cur/ file already in
   * the uiddb, no keyword directory to merge. Many sessions rescanning one folder at once
   * (IDLE after a delivery) then do not queue on the dot-lock. Anything else: undefined.
   */
  private scanWithoutLock(): { out: ScanOutcome; keywords: Map<string, string[]> | undefined } | undefined {
    if (listDirSync(join(this.path, "new")).length) return undefined;
    if (this.options.keywords && existsSync(join(this.path, KEYWORDS_DIR))) return undefined;
    const out = scanFolderSync(this.path, false);
    if (!out.persisted) return undefined;
    return { out, keywords: this.options.keywords ? new Map() : undefined };
  }

  async scan(): Promise<ScanResult> {
    const rw = this.access === "read-write";
    const { out, keywords } =
      (rw && this.scanWithoutLock()) ||
      (await this.lock(async () => {
        const out = scanFolderSync(this.path, rw);
        const live = () => new Set(out.files.map((f) => latin1(baseName(f.filename))));
        const keywords = this.options.keywords ? await readKeywords(this.path, live, rw) : undefined;
        return { out, keywords };
      }));
    const files = out.files;
    const messages: MessageInfo[] = new Array(files.length);
    const anyKeywords = !!keywords?.size;
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      if (f.isNew) this.recentUids.add(f.uid);
      messages[i] = {
        uid: f.uid,
        filename: f.filename,
        flags: parseFlags(f.filename),
        recent: f.isNew || this.recentUids.has(f.uid),
        keywords: (anyKeywords && keywords.get(latin1(baseName(f.filename)))) || [],
      };
    }
    this.current = messages;
    if (this.facts.size) {
      const live = new Set(messages.map((m) => baseName(m.filename)));
      for (const key of this.facts.keys()) if (!live.has(key)) this.facts.delete(key);
    }
    this.uidValidity = out.uidValidity;
    this.nextUid = out.nextUid;
    return { uidValidity: out.uidValidity, nextUid: out.nextUid, messages };
  }

  /** Plain-data view of what the session has seen (serializable). */
  snapshot(): FolderSnapshot {
    return {
      uidValidity: this.uidValidity,
      nextUid: this.nextUid,
      messages: this.current.map((m) => ({ uid: m.uid, flags: [...m.flags], keywords: [...m.keywords] })),
    };
  }

  /** Rescans and reports what changed since `since` (default: the previous scan). */
  async rescan(since: FolderSnapshot = this.snapshot()): Promise<FolderChanges> {
    await this.scan();
    return diffSnapshots(since, this.snapshot());
  }

  /** Calls `onChange` when the folder may have changed (inotify, else polling). */
  watch(onChange: () => void, opts?: WatchOptions): FolderWatch {
    return watchFolder(this.path, onChange, opts);
  }

  /** Every keyword used in the folder, first spelling kept (for FLAGS/PERMANENTFLAGS). */
  keywordNames(): string[] {
    const seen = new Map<string, string>();
    for (const m of this.current)
      for (const k of m.keywords) if (!seen.has(keywordKey(k))) seen.set(keywordKey(k), k);
    return [...seen.values()];
  }

  byUid(uid: number): MessageInfo | undefined {
    let lo = 0;
    let hi = this.current.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const u = this.current[mid].uid;
      if (u === uid) return this.current[mid];
      if (u < uid) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
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
    return this.internalDateSync(msg);
  }

  // The *Sync methods: an imapd worker serves one connection, so nothing else waits on its
  // event loop, and a blocking read costs far less than a thread-pool round trip per call.

  internalDateSync(msg: MessageInfo): Date {
    const f = this.factsOf(msg);
    if (!f.mtime) this.statSync(msg, f);
    return f.mtime!;
  }

  /**
   * Which version of the message file this is, for MessageCache: its name's `,S=` size where
   * it has one (no stat needed: maildir files are never rewritten in place, so a base name
   * with its size names one content), else fileStamp() of the file.
   */
  stampSync(msg: MessageInfo): string {
    const f = this.factsOf(msg);
    if (!f.stamp) {
      f.stamp = nameStamp(msg.filename);
      if (!f.stamp) this.statSync(msg, f);
    }
    return f.stamp!;
  }

  private statSync(msg: MessageInfo, f: Facts): void {
    this.noteStat(
      msg,
      f,
      this.withRelocationSync(msg, (p) => statSync(p)),
    );
  }

  private noteStat(msg: MessageInfo, f: Facts, st: Stats): void {
    f.stamp = nameStamp(msg.filename) ?? fileStamp(st);
    f.mtime ??= st.mtime;
  }

  async crlfInfo(msg: MessageInfo): Promise<CrlfInfo> {
    return this.crlfInfoSync(msg);
  }

  crlfInfoSync(msg: MessageInfo): CrlfInfo {
    const f = this.factsOf(msg);
    f.crlf ??= this.withRelocationSync(msg, (p) => measureCrlfSync(p));
    return f.crlf;
  }

  /** The CrlfInfo of a message whose whole stored file the caller has read (readMessageSync). */
  crlfInfoOf(msg: MessageInfo, data: Buffer): CrlfInfo {
    const f = this.factsOf(msg);
    f.crlf ??= measureCrlfBuffer(data);
    return f.crlf;
  }

  /** Known without reading the file (from an earlier read or cached), else undefined. */
  knownCrlfSize(msg: MessageInfo): number | undefined {
    return this.facts.get(baseName(msg.filename))?.crlf?.size;
  }

  /**
   * The stored bytes (LF form), read whole, synchronously and symlink-safe; its stamp is
   * noted (stampSync). Undefined, unread, when the file is larger than `maxBytes`.
   */
  readMessageSync(msg: MessageInfo): Buffer;
  readMessageSync(
    msg: MessageInfo,
    maxBytes: number,
    /** A buffer of at least `size` bytes to read into (the result is then a view of it). */
    into?: (size: number) => Buffer,
  ): Buffer | undefined;
  readMessageSync(
    msg: MessageInfo,
    maxBytes = Number.POSITIVE_INFINITY,
    into?: (size: number) => Buffer,
  ): Buffer | undefined {
    return this.withOpenSync(msg, (fd, size) => {
      if (size > maxBytes) return undefined;
      // One byte more than fstat said, so that a file that grew shows it in the same read.
      const parts: Buffer[] = [];
      let total = 0;
      for (let want = size + 1; ; want = WHOLE_READ) {
        const buf = total === 0 && into ? into(want).subarray(0, want) : Buffer.allocUnsafe(want);
        const n = readFully(fd, buf, total);
        parts.push(buf.subarray(0, n));
        total += n;
        if (n < want) break;
      }
      return parts.length === 1 ? parts[0] : Buffer.concat(parts, total);
    });
  }

  /**
   * Hands the stored bytes to `onChunk` in order, until it returns true. A file up to
   * WHOLE_READ comes as one chunk; the chunks of a larger one share a buffer that is reused,
   * so `onChunk` must copy what it keeps.
   */
  readChunksSync(msg: MessageInfo, onChunk: (chunk: Buffer) => unknown): void {
    this.withOpenSync(msg, (fd, size) => {
      if (size <= WHOLE_READ) {
        const buf = Buffer.allocUnsafe(size);
        onChunk(buf.subarray(0, readFully(fd, buf, 0)));
        return;
      }
      chunkBuf ??= Buffer.allocUnsafe(WHOLE_READ);
      for (let pos = 0; ; ) {
        const n = readFully(fd, chunkBuf, pos);
        if (n === 0 || onChunk(chunkBuf.subarray(0, n)) === true) return;
        pos += n;
      }
    });
  }

  /** Opens the message file symlink-safe, notes its stamp, runs `fn(fd, size)`, closes. */
  private withOpenSync<T>(msg: MessageInfo, fn: (fd: number, size: number) => T): T {
    const { fd, stat } = this.withRelocationSync(msg, (p) => safeOpenSync(p, this.options.skipSymlinkChecks));
    try {
      const f = this.factsOf(msg);
      f.stamp = undefined;
      this.noteStat(msg, f, stat);
      return fn(fd, stat.size);
    } finally {
      closeSync(fd);
    }
  }

  /** The folder's courierimapcache holding values of `format` (see message-cache.ts). */
  messageCache(format: string): MessageCache {
    let c = this.caches.get(format);
    if (!c) {
      c = new MessageCache(this.path, format, { skipSymlinkChecks: this.options.skipSymlinkChecks });
      this.caches.set(format, c);
    }
    return c;
  }

  /** Writes what the folder's message caches learnt, for the messages of the last scan. */
  saveMessageCaches(): void {
    if (!this.caches.size) return;
    const live = this.current.map((m) => baseName(m.filename));
    for (const c of this.caches.values()) c.save(live);
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

  /** The stored bytes (LF form), opened symlink-safe. */
  async openRaw(msg: MessageInfo): Promise<Readable> {
    const fh = await this.withRelocation(msg, (p) =>
      safeOpen(p, constants.O_RDONLY, 0o644, this.options.skipSymlinkChecks),
    );
    return fh.createReadStream();
  }

  private async storedSize(msg: MessageInfo): Promise<number> {
    return sizeFromName(msg.filename) ?? (await this.withRelocation(msg, (p) => stat(p))).size;
  }

  /**
   * Replaces the message's flags with one rename; returns false if nothing changed. Setting
   * \Deleted releases quota, clearing it is an addition and may throw QuotaExceededError.
   */
  async setFlags(msg: MessageInfo, flags: Iterable<Flag>): Promise<boolean> {
    const wanted = normalizeFlags(flags);
    const target = nameWithFlags(msg.filename, wanted);
    if (target === msg.filename) return false;
    const tq = this.options.trashQuota;
    const wasCounted = isCountedFile(msg.filename, tq);
    const nowCounted = isCountedFile(target, tq);
    const quotaMatters = wasCounted !== nowCounted && isCountedFolder(this.path, tq);
    const size = quotaMatters ? await this.storedSize(msg) : 0;
    const root = await this.rootPath();
    if (quotaMatters && nowCounted) await checkQuota(root, size, 1, { trashQuota: tq });
    this.withRelocationSync(msg, (p) => renameSync(p, join(this.path, "cur", target)));
    msg.filename = target;
    msg.flags = wanted;
    if (quotaMatters) await addQuotaUsage(root, nowCounted ? size : -size, nowCounted ? 1 : -1);
    return true;
  }

  async addFlags(msg: MessageInfo, flags: Iterable<Flag>): Promise<boolean> {
    return this.setFlags(msg, [...msg.flags, ...flags]);
  }

  async removeFlags(msg: MessageInfo, flags: Iterable<Flag>): Promise<boolean> {
    const drop = new Set(flags);
    return this.setFlags(
      msg,
      msg.flags.filter((f) => !drop.has(f)),
    );
  }

  /** Replaces the message's keywords (IMAP_KEYWORDS=2: merged under the folder lock). */
  async setKeywords(msg: MessageInfo, keywords: Iterable<string>): Promise<boolean> {
    const seen = new Set<string>();
    const wanted = [...keywords].filter((k) => !seen.has(keywordKey(k)) && seen.add(keywordKey(k)));
    const same =
      wanted.length === msg.keywords.length &&
      wanted.every((k) => msg.keywords.some((o) => keywordKey(o) === keywordKey(k)));
    if (same || !this.options.keywords) return false;
    const base = latin1(baseName(msg.filename));
    const live = async () => new Set((await listDir(join(this.path, "cur"))).map((n) => latin1(baseName(n))));
    if (this.options.keywords === 2) await this.lock(() => writeKeywordUpdate(this.path, base, wanted, live));
    else await writeKeywordUpdate(this.path, base, wanted, live);
    msg.keywords = wanted;
    return true;
  }

  async addKeywords(msg: MessageInfo, keywords: Iterable<string>): Promise<boolean> {
    return this.setKeywords(msg, [...msg.keywords, ...keywords]);
  }

  async removeKeywords(msg: MessageInfo, keywords: Iterable<string>): Promise<boolean> {
    const drop = new Set([...keywords].map(keywordKey));
    return this.setKeywords(
      msg,
      msg.keywords.filter((k) => !drop.has(keywordKey(k))),
    );
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

  /** withRelocation, synchronously: per-message reads, and renames and unlinks of STORE and EXPUNGE. */
  private withRelocationSync<T>(msg: MessageInfo, op: (path: string) => T): T {
    try {
      return op(this.filePath(msg));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      const base = baseName(msg.filename);
      const found = readdirSync(join(this.path, "cur")).find((n) => baseName(n) === base);
      if (!found) throw e;
      msg.filename = found;
      msg.flags = parseFlags(found);
      return op(this.filePath(msg));
    }
  }

  /** Runs a UID-assigning scan of this folder's directory (not this session's view) and returns the UIDs of `names`. */
  async assignUids(names: string[]): Promise<{ uidValidity: number; uids: number[] }> {
    const out = await this.lock(async () => scanFolderSync(this.path, true, names));
    const byBase = new Map(out.files.map((f) => [baseName(f.filename), f.uid]));
    return { uidValidity: out.uidValidity, uids: names.map((n) => byBase.get(baseName(n)) ?? 0) };
  }

  /**
   * APPEND: streams the message into cur/ (CRs dropped, final LF added), quota-checked once
   * its size is known; returns the UID given by the following scan.
   */
  async append(source: MessageSource, opts: AppendOptions = {}): Promise<AppendResult> {
    const flags = normalizeFlags(opts.flags ?? []);
    const root = await this.rootPath();
    const tq = this.options.trashQuota;
    const counted = isCountedFolder(this.path, tq) && isCountedFile(nameWithFlags("x", flags), tq);
    const stored = await storeMessage(this.path, source, {
      flags,
      date: opts.date,
      stripCr: true,
      mode: 0o666,
      dirsync: this.options.dirsync,
      skipSymlinkChecks: this.options.skipSymlinkChecks,
      beforePublish: counted
        ? async (size) => void (await checkQuota(root, size, 1, { trashQuota: tq }))
        : undefined,
    });
    if (counted) await addQuotaUsage(root, stored.size, 1);
    if (opts.keywords?.length && this.options.keywords)
      await this.writeKeywords(stored.filename, opts.keywords);
    const { uidValidity, uids } = await this.assignUids([stored.filename]);
    return { uidValidity, uid: uids[0], filename: stored.filename };
  }

  private async writeKeywords(filename: string, keywords: string[]): Promise<void> {
    const live = async () => new Set((await listDir(join(this.path, "cur"))).map((n) => latin1(baseName(n))));
    await writeKeywordUpdate(this.path, latin1(baseName(filename)), keywords, live);
  }

  /**
   * COPY: copies the files (new names, same flags, mtime and keywords) into `dest`, checking
   * the quota for the whole set first; on failure every file written is removed again.
   */
  async copyTo(msgs: readonly MessageInfo[], dest: Folder): Promise<CopyResult> {
    const root = await dest.rootPath();
    const tq = dest.options.trashQuota;
    const destCounted = isCountedFolder(dest.path, tq);
    let addBytes = 0;
    let addCount = 0;
    for (const m of msgs) {
      if (!destCounted || !isCountedFile(m.filename, tq)) continue;
      addBytes += await this.storedSize(m);
      addCount++;
    }
    if (addCount) await checkQuota(root, addBytes, addCount, { trashQuota: tq });
    const written: string[] = [];
    try {
      for (const m of msgs) {
        const date = await this.internalDate(m);
        const stored = await storeMessage(dest.path, await this.openRaw(m), {
          flags: m.flags,
          date,
          dirsync: dest.options.dirsync,
          mode: 0o666,
          skipSymlinkChecks: dest.options.skipSymlinkChecks,
        });
        written.push(stored.filename);
        if (m.keywords.length && dest.options.keywords) await dest.writeKeywords(stored.filename, m.keywords);
      }
    } catch (e) {
      for (const n of written) await unlink(join(dest.path, "cur", n)).catch(() => {});
      throw e;
    }
    if (addCount) await addQuotaUsage(root, addBytes, addCount);
    for (const m of msgs) this.copied.add(baseName(m.filename));
    const { uidValidity, uids } = await dest.assignUids(written);
    return { uidValidity, pairs: msgs.map((m, i) => [m.uid, uids[i]]) };
  }

  /** MOVE (RFC 6851): copy, then remove the originals; returns the copy result and the changes to report. */
  async moveTo(msgs: readonly MessageInfo[], dest: Folder): Promise<CopyResult & { changes: FolderChanges }> {
    const copy = await this.copyTo(msgs, dest);
    await this.removeFiles(msgs);
    return { ...copy, changes: await this.rescan() };
  }

  private async removeFiles(msgs: readonly MessageInfo[]): Promise<void> {
    const root = await this.rootPath();
    const tq = this.options.trashQuota;
    let bytes = 0;
    let count = 0;
    for (const m of msgs) {
      const counted = isCountedFolder(this.path, tq) && isCountedFile(m.filename, tq);
      const size = counted ? await this.storedSize(m).catch(() => 0) : 0;
      try {
        this.withRelocationSync(m, (p) => unlinkSync(p));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
        continue;
      }
      if (counted) {
        bytes += size;
        count++;
      }
    }
    if (count) await addQuotaUsage(root, -bytes, -count);
  }

  private trashPath(root: string): string {
    return join(root, `.${this.options.trashFolder}`);
  }

  /**
   * EXPUNGE: removes every \Deleted message (only those in `uids`, for UID EXPUNGE), or moves
   * it to Trash with IMAP_MOVE_EXPUNGE_TO_TRASH; then rescans and reports the changes.
   */
  async expunge(uids?: Iterable<number>): Promise<FolderChanges> {
    const since = this.snapshot();
    const only = uids ? new Set(uids) : undefined;
    const doomed = this.current.filter((m) => m.flags.includes("\\Deleted") && (!only || only.has(m.uid)));
    const root = await this.rootPath();
    const trash = this.trashPath(root);
    const toTrash =
      this.options.moveExpungeToTrash && this.path !== trash
        ? doomed.filter((m) => !this.copied.has(baseName(m.filename)))
        : [];
    const moved = new Set<MessageInfo>();
    const tq = this.options.trashQuota;
    for (const m of toTrash) {
      const target = nameWithFlags(
        m.filename,
        m.flags.filter((f) => f !== "\\Deleted" && f !== "\\Draft"),
      );
      const dest = join(trash, "cur", target);
      try {
        await this.withRelocation(m, (p) => renameCreatingTrash(p, dest, trash));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw e;
      }
      moved.add(m);
      const before = isCountedFolder(this.path, tq) && isCountedFile(m.filename, tq);
      const after = isCountedFolder(trash, tq) && isCountedFile(target, tq);
      if (before !== after) {
        const size =
          sizeFromName(m.filename) ??
          (await stat(dest).then(
            (s) => s.size,
            () => 0,
          ));
        await addQuotaUsage(root, after ? size : -size, after ? 1 : -1);
      }
    }
    await this.removeFiles(doomed.filter((m) => !moved.has(m)));
    return this.rescan(since);
  }
}

/** Reads into buf from file offset `pos` until buf is full or the file ends; bytes read. */
function readFully(fd: number, buf: Buffer, pos: number): number {
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

async function renameCreatingTrash(from: string, to: string, trash: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    await stat(from); // the source is gone: nothing to do
    await makeFolderDirs(trash, true);
    await rename(from, to);
  }
}
