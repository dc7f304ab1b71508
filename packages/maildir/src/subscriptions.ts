// `courierimapsubscribed` (maildir-formats.md §6): one filesystem-form (UTF-8) name per line;
// rewritten through a tmp/ file + rename. Names compare byte-wise after a leading `inbox`
// (any case) is skipped on both sides.

import { readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { withFolderLock } from "./lock.js";
import { uniqueTmpName } from "./unique-name.js";

export const SUBSCRIBED_FILE = "courierimapsubscribed";

function key(name: string): string {
  return /^inbox/i.test(name) ? name.slice(5) : name;
}

export async function readSubscriptions(root: string): Promise<string[]> {
  try {
    return (await readFile(join(root, SUBSCRIBED_FILE), "utf8")).split("\n").filter(Boolean);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

async function save(root: string, names: string[]): Promise<void> {
  const tmp = join(root, "tmp", uniqueTmpName("imapsubscribe"));
  try {
    await writeFile(tmp, names.map((n) => `${n}\n`).join(""), { mode: 0o644 });
    await rename(tmp, join(root, SUBSCRIBED_FILE));
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

/** Adds `name` unless present; a name ending in `.` is punted (no change). */
export function subscribe(root: string, name: string): Promise<void> {
  if (name.endsWith(".")) return Promise.resolve();
  return withFolderLock(join(root, SUBSCRIBED_FILE), false, async () => {
    const list = await readSubscriptions(root);
    if (list.some((n) => key(n) === key(name))) return;
    await save(root, [...list, name]);
  });
}

export function unsubscribe(root: string, name: string): Promise<void> {
  if (name.endsWith(".")) return Promise.resolve();
  return withFolderLock(join(root, SUBSCRIBED_FILE), false, async () => {
    const list = await readSubscriptions(root);
    const kept = list.filter((n) => key(n) !== key(name));
    if (kept.length !== list.length) await save(root, kept);
  });
}
