// Delivering a message into new/ (or cur/ with flags) the Maildir way: write a unique file
// in tmp/, then link it to its final name `<sec>.M<usec>P<pid>V<dev>I<ino>_<n>.<host>,S=<size>`
// (maildir-formats.md §2.1) and unlink the tmp name. Content is stored as given (LF).

import { link, open, rename, unlink, utimes } from "node:fs/promises";
import { join } from "node:path";
import { type Flag, nameWithFlags } from "./flags.js";
import { uniqueTmpName } from "./unique-name.js";

function hex16(n: number | bigint): string {
  return BigInt(n).toString(16).toUpperCase().padStart(16, "0");
}

export interface DeliverOptions {
  /** Deliver into cur/ with these flags instead of into new/. */
  flags?: Flag[];
  /** Set the mtime (INTERNALDATE). */
  date?: Date;
}

/** Returns the final file name (relative to new/ or cur/). */
export async function deliver(
  folderPath: string,
  content: Buffer | string,
  opts: DeliverOptions = {},
): Promise<string> {
  const tmpName = uniqueTmpName();
  const tmp = join(folderPath, "tmp", tmpName);
  const data = typeof content === "string" ? Buffer.from(content) : content;
  const fh = await open(tmp, "wx", 0o644);
  let dev: bigint;
  let ino: bigint;
  try {
    await fh.writeFile(data);
    const st = await fh.stat({ bigint: true });
    dev = st.dev;
    ino = st.ino;
  } finally {
    await fh.close();
  }
  const [stamp, rest] = [tmpName.slice(0, tmpName.indexOf("_")), tmpName.slice(tmpName.indexOf("_"))];
  let name = `${stamp}V${hex16(dev)}I${hex16(ino)}${rest},S=${data.length}`;
  const sub = opts.flags ? "cur" : "new";
  if (opts.flags) name = nameWithFlags(name, opts.flags);
  const dest = join(folderPath, sub, name);
  try {
    await link(tmp, dest);
    await unlink(tmp);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EXDEV") throw e;
    await rename(tmp, dest);
  }
  if (opts.date) await utimes(dest, opts.date, opts.date);
  return name;
}
