// A folder's own special-use attributes (RFC 6154 CREATE … (USE (…))): one per line in
// `courierimapspecialuse` inside the folder's directory, so RENAME carries them along and
// DELETE removes them with the folder. Courier has no such file; the name cannot clash with
// its own. Written to tmp/ and renamed into place, so a reader sees the old or the new list.

import { readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { uniqueTmpName } from "./unique-name.js";

export const SPECIAL_USE_FILE = "courierimapspecialuse";

/** The attributes stored for the folder at `folderPath` (`\Sent` …); none when there is no file. */
export async function readSpecialUse(folderPath: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(join(folderPath, SPECIAL_USE_FILE), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR")
      return [];
    throw e;
  }
  return text.split("\n").filter((l) => /^\\[A-Za-z]+$/.test(l));
}

/** Replaces the folder's attributes; an empty list removes the file. */
export async function writeSpecialUse(folderPath: string, attrs: readonly string[]): Promise<void> {
  const path = join(folderPath, SPECIAL_USE_FILE);
  if (!attrs.length) {
    await unlink(path).catch((e) => {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    });
    return;
  }
  const tmp = join(folderPath, "tmp", uniqueTmpName("specialuse"));
  await writeFile(tmp, `${attrs.join("\n")}\n`, { mode: 0o600, flag: "wx" });
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}
