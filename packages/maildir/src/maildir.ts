// A Maildir++ root: the root itself is INBOX, folder INBOX.A.B lives in `<root>/.A.B`.

import { join, resolve } from "node:path";
import { Folder, type FolderAccess } from "./folder.js";
import { isFolderDir } from "./scan.js";

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

export class Maildir {
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /** Opens the Maildir++ root at `path`; fails if it has no cur/. */
  static async open(path: string): Promise<Maildir> {
    const root = resolve(path);
    if (!(await isFolderDir(root))) throw new NoSuchFolderError(`${path}: not a maildir`);
    return new Maildir(root);
  }

  folderPath(imapName: string): string {
    const dir = folderDir(imapName);
    if (dir === undefined) throw new MailboxNameError(`Invalid mailbox name: ${imapName}`);
    return dir === "." ? this.root : join(this.root, dir);
  }

  /** Opens and scans a folder. */
  async openFolder(imapName: string, access: FolderAccess = "read-write"): Promise<Folder> {
    const path = this.folderPath(imapName);
    if (!(await isFolderDir(path))) throw new NoSuchFolderError(`Mailbox does not exist: ${imapName}`);
    const folder = new Folder(canonicalName(imapName), path, access);
    await folder.scan();
    return folder;
  }
}
