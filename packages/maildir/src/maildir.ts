// A Maildir++ root: the root itself is INBOX, folder INBOX.A.B lives in `<root>/.A.B`.
// Names here are in filesystem form (UTF-8); imapd converts from/to modified UTF-7 with
// mailboxFromWire/mailboxToWire.

import { join, resolve } from "node:path";
import { measureCrlf } from "./crlf.js";
import { emptyTrash, parseEmptyTrash } from "./empty-trash.js";
import { FolderExistsError, ReservedFolderError } from "./errors.js";
import { type AppendOptions, type AppendResult, Folder, type FolderAccess } from "./folder.js";
import { createFolder, deleteFolder, type FolderEntry, listFolders, renameFolder } from "./folders.js";
import { withFolderLock } from "./lock.js";
import { mailboxFromWire } from "./mutf7.js";
import { DEFAULT_OPTIONS, type StoreOptions } from "./options.js";
import { Pop3Mailbox } from "./pop3.js";
import { openQuota, type QuotaState, recalculateQuota } from "./quota.js";
import { isFolderDir, listDir, scanFolder } from "./scan.js";
import { sleep } from "./sleep.js";
import { readSpecialUse } from "./special-use.js";
import { readSubscriptions, subscribe, unsubscribe } from "./subscriptions.js";
import type { MessageSource } from "./write-message.js";

export class MailboxNameError extends Error {}
export class NoSuchFolderError extends Error {}

/** Directory of an IMAP mailbox name relative to the root; `undefined` for an invalid name. */
export function folderDir(imapName: string): string | undefined {
  const dot = imapName.indexOf(".");
  const top = dot < 0 ? imapName : imapName.slice(0, dot);
  if (top.toUpperCase() !== "INBOX") return undefined;
  if (dot < 0) return ".";
  const rest = imapName.slice(dot + 1);
  if (!rest || rest.includes("/") || rest.split(".").some((c) => c === "")) return undefined;
  return `.${rest}`;
}

/** Canonical IMAP name: INBOX in upper case, the rest unchanged. */
export function canonicalName(imapName: string): string {
  return /^inbox(\.|$)/i.test(imapName) ? `INBOX${imapName.slice(5)}` : imapName;
}

export interface FolderStatus {
  messages: number;
  recent: number;
  unseen: number;
  uidNext: number;
  uidValidity: number;
}

export class Maildir {
  readonly root: string;
  readonly options: StoreOptions;

  private constructor(root: string, options: StoreOptions) {
    this.root = root;
    this.options = options;
  }

  /** Opens the Maildir++ root at `path`; fails if it has no cur/. */
  static async open(path: string, options: StoreOptions = DEFAULT_OPTIONS): Promise<Maildir> {
    const root = resolve(path);
    if (!(await isFolderDir(root))) throw new NoSuchFolderError(`${path}: not a maildir`);
    return new Maildir(root, options);
  }

  /** Converts a wire name (modified UTF-7 unless UTF8=ACCEPT) to the filesystem form; throws MailboxNameError. */
  static fromWire(name: string, utf8Enabled: boolean): string {
    const fs = mailboxFromWire(name, utf8Enabled);
    if (fs === undefined) throw new MailboxNameError(`Invalid mailbox name: ${name}`);
    return fs;
  }

  folderPath(imapName: string): string {
    const dir = folderDir(imapName);
    if (dir === undefined) throw new MailboxNameError(`Invalid mailbox name: ${imapName}`);
    return dir === "." ? this.root : join(this.root, dir);
  }

  /** Folder path relative name (`A.B` for INBOX.A.B); throws for INBOX or invalid names. */
  private relName(imapName: string): string {
    const dir = folderDir(imapName);
    if (dir === undefined) throw new MailboxNameError(`Invalid mailbox name: ${imapName}`);
    if (dir === ".") throw new ReservedFolderError("INBOX");
    return dir.slice(1);
  }

  private isTrash(rel: string): boolean {
    return rel === this.options.trashFolder;
  }

  async exists(imapName: string): Promise<boolean> {
    return isFolderDir(this.folderPath(imapName));
  }

  /** Opens and scans a folder. */
  async openFolder(imapName: string, access: FolderAccess = "read-write"): Promise<Folder> {
    const path = this.folderPath(imapName);
    if (!(await isFolderDir(path))) throw new NoSuchFolderError(`Mailbox does not exist: ${imapName}`);
    const folder = new Folder(canonicalName(imapName), path, access, this.options, this.root);
    await folder.scan();
    return folder;
  }

  /** A folder handle without a scan (APPEND/COPY targets). */
  async folder(imapName: string, access: FolderAccess = "read-write"): Promise<Folder> {
    const path = this.folderPath(imapName);
    if (!(await isFolderDir(path))) throw new NoSuchFolderError(`Mailbox does not exist: ${imapName}`);
    return new Folder(canonicalName(imapName), path, access, this.options, this.root);
  }

  listFolders(): Promise<FolderEntry[]> {
    return listFolders(this.root);
  }

  /**
   * CREATE, with the folder's own special-use attributes if any; a name ending in `.` only
   * declares hierarchy and creates nothing.
   */
  async createFolder(imapName: string, specialUse: readonly string[] = []): Promise<void> {
    if (imapName.endsWith(".") && folderDir(imapName.slice(0, -1)) !== undefined) return;
    if (folderDir(imapName) === ".") throw new FolderExistsError("INBOX already exists!");
    await createFolder(this.root, this.relName(imapName), specialUse);
  }

  /** The special-use attributes a folder was created with (none for INBOX or a missing folder). */
  async specialUse(imapName: string): Promise<string[]> {
    const dir = folderDir(imapName);
    if (dir === undefined || dir === ".") return [];
    return readSpecialUse(join(this.root, dir));
  }

  /** DELETE: refuses INBOX and Trash; waits 2 s first (IMAP_BROKENUIDV) so UIDVALIDITY is never reused. */
  async deleteFolder(imapName: string, uidvDelayMs = 2000): Promise<void> {
    const rel = this.relName(imapName);
    if (this.isTrash(rel)) throw new ReservedFolderError("Reserved folder name.");
    const path = this.folderPath(imapName);
    if (!(await isFolderDir(path))) throw new NoSuchFolderError(`Mailbox does not exist: ${imapName}`);
    await sleep(uidvDelayMs);
    await deleteFolder(this.root, rel);
    await this.recalculateQuota();
  }

  /** RENAME with all subfolders; renamed folders get new UIDVALIDITYs. */
  async renameFolder(from: string, to: string, uidvDelayMs = 2000): Promise<void> {
    const a = this.relName(from);
    const b = this.relName(to);
    if (this.isTrash(a) || this.isTrash(b)) throw new ReservedFolderError("Reserved folder name.");
    await sleep(uidvDelayMs);
    await renameFolder(this.root, a, b, this.options.useLocks);
    await this.recalculateQuota();
  }

  subscriptions(): Promise<string[]> {
    return readSubscriptions(this.root);
  }

  subscribe(imapName: string): Promise<void> {
    return subscribe(this.root, canonicalName(imapName));
  }

  unsubscribe(imapName: string): Promise<void> {
    return unsubscribe(this.root, canonicalName(imapName));
  }

  /** STATUS without moving new/: files in new/ count as messages, recent and unseen. */
  async status(imapName: string): Promise<FolderStatus> {
    const path = this.folderPath(imapName);
    if (!(await isFolderDir(path))) throw new NoSuchFolderError(`Mailbox does not exist: ${imapName}`);
    const out = await withFolderLock(path, this.options.useLocks, () => scanFolder(path, false));
    const inNew = (await listDir(join(path, "new"))).length;
    return {
      messages: out.files.length + inNew,
      recent: out.files.filter((f) => f.isNew).length + inNew,
      unseen: out.files.filter((f) => !/:2,[^:]*S[^:]*$/.test(f.filename)).length + inNew,
      uidNext: out.nextUid + inNew,
      uidValidity: out.uidValidity,
    };
  }

  /**
   * STATUS SIZE (RFC 8438): the sum of RFC822.SIZE over the messages STATUS counts, cur/
   * and new/ alike, without moving new/. A message that vanishes meanwhile counts 0.
   */
  async statusSize(imapName: string): Promise<number> {
    const folder = await this.openFolder(imapName, "read-only");
    let total = 0;
    for (const m of folder.messages) {
      try {
        total += await folder.rfc822Size(m);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
    }
    const newDir = join(folder.path, "new");
    for (const name of await listDir(newDir)) {
      try {
        total += (await measureCrlf(join(newDir, name))).size;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
    }
    return total;
  }

  /** APPEND into a folder (filesystem-form name). */
  async append(imapName: string, source: MessageSource, opts: AppendOptions = {}): Promise<AppendResult> {
    return (await this.folder(imapName)).append(source, opts);
  }

  /** The quota in force (GETQUOTAROOT), or undefined; MAILDIRQUOTA in the options' env is not applied here. */
  quota(): Promise<QuotaState | undefined> {
    return openQuota(this.root, { trashQuota: this.options.trashQuota });
  }

  /** Forces a recalculation of `maildirsize` if there is one (after DELETE/RENAME). */
  async recalculateQuota(): Promise<void> {
    const q = await openQuota(this.root, { trashQuota: this.options.trashQuota });
    if (q) await recalculateQuota(this.root, q.spec, this.options.trashQuota);
  }

  /** IMAP_EMPTYTRASH purge (login and logout); returns the number of messages removed. */
  emptyTrash(value: string | undefined = process.env.IMAP_EMPTYTRASH): Promise<number> {
    return emptyTrash(this.root, parseEmptyTrash(value, this.options.trashFolder), this.options.trashQuota);
  }

  /** The POP3 view of INBOX. */
  openPop3(): Promise<Pop3Mailbox> {
    return Pop3Mailbox.open(this.root, { trashQuota: this.options.trashQuota });
  }
}
