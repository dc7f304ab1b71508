// maildirmake: create maildirs and folders, install a quota, sharable maildirs/folders,
// shared-maildirs entries, and the pre-5.0 folder-name conversion (shared-folders.md §3).

import { access, appendFile, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeFolderDirs } from "../folder-dirs.js";
import { folderDirNames } from "../folders.js";
import { mutf7ToUtf8 } from "../mutf7.js";
import { hasQuota, parseQuotaSpec, quotaRoot, recalculateQuota } from "../quota.js";
import { SUBSCRIBED_FILE } from "../subscriptions.js";
import { uniqueTmpName } from "../unique-name.js";

const HELP = `Usage: maildirmake [ options ] maildir

Creates a maildir (tmp/ new/ cur/), or a folder in one.

  -f folder        create folder <maildir>/.<folder> (UTF-8, dots make hierarchy)
  -q quota         install a Maildir++ quota, e.g. 10000000S,1000C, and recalculate maildirsize
  -S               make a sharable maildir (top directory 0755)
  -s read|write[,group]
                   permissions of a sharable folder (with -f)
  --add nick=/path add a sharable maildir to <maildir>/shared-maildirs
  --del nick       remove it
  --checkutf8 maildir
                   show what --convutf8 would rename (pre-5.0 modified-UTF-7 folder names)
  --convutf8 maildir
                   convert folder names and courierimapsubscribed to UTF-8 (run once)
  --help           this text
`;

const USAGE = "Usage: maildirmake [ options ] maildir\n";

function sharedModes(spec: string): { top: number; sub: number } {
  let write = false;
  let group = false;
  for (const word of spec.split(/[,\s]+/).filter(Boolean)) {
    if (word[0] === "r") write = false;
    else if (word[0] === "w") write = true;
    else if (word[0] === "g") group = true;
  }
  const base = group ? 0o750 : 0o755;
  const sub = write ? (group ? 0o1770 : 0o1777) : base;
  return { top: write ? base | 0o1000 : base, sub };
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function convUtf8(maildir: string, dryRun: boolean): Promise<number> {
  let bad = 0;
  const renames: [string, string][] = [];
  for (const n of await folderDirNames(maildir)) {
    const parts = n.split(".").map(mutf7ToUtf8);
    if (parts.some((p) => p === undefined)) {
      process.stderr.write(`Error: ${n} is not a valid modified-UTF-7 folder name\n`);
      bad++;
      continue;
    }
    const utf8 = parts.join(".");
    if (utf8 !== n) renames.push([n, utf8]);
  }
  let subs: string | undefined;
  try {
    subs = await readFile(join(maildir, SUBSCRIBED_FILE), "utf8");
  } catch {}
  const newSubs = subs
    ?.split("\n")
    .map((l) =>
      l
        ? l
            .split(".")
            .map(mutf7ToUtf8)
            .some((p) => p === undefined)
          ? l
          : l
              .split(".")
              .map((p) => mutf7ToUtf8(p))
              .join(".")
        : l,
    )
    .join("\n");
  for (const [a, b] of renames) process.stdout.write(`Rename .${a} => .${b}\n`);
  if (subs !== undefined && newSubs !== subs) process.stdout.write(`Update ${SUBSCRIBED_FILE}\n`);
  if (bad) return 1;
  if (dryRun) return 0;
  for (const [a, b] of renames) await rename(join(maildir, `.${a}`), join(maildir, `.${b}`));
  if (subs !== undefined && newSubs !== undefined && newSubs !== subs) {
    const st = await stat(join(maildir, SUBSCRIBED_FILE));
    const tmp = join(maildir, "tmp", uniqueTmpName("convutf8"));
    await writeFile(tmp, newSubs, { mode: st.mode & 0o7777 });
    await rename(tmp, join(maildir, SUBSCRIBED_FILE));
  }
  return 0;
}

async function addShared(maildir: string, arg: string): Promise<number> {
  const eq = arg.indexOf("=");
  const nick = arg.slice(0, eq);
  const path = arg.slice(eq + 1);
  if (eq <= 0 || nick.includes(".") || nick.includes("/") || !path.startsWith("/")) {
    process.stderr.write(`maildirmake: invalid --add argument: ${arg}\n`);
    return 1;
  }
  await access(path);
  const file = join(maildir, "shared-maildirs");
  const have = await readFile(file, "utf8").catch(() => "");
  if (have.split("\n").some((l) => l.replace(/#.*/, "").trim().split(/\s+/)[0] === nick)) {
    process.stderr.write(`maildirmake: ${nick} is already defined\n`);
    return 2;
  }
  await appendFile(file, `${nick}\t${path}\n`, { mode: 0o644 });
  return 0;
}

async function delShared(maildir: string, nick: string): Promise<number> {
  const file = join(maildir, "shared-maildirs");
  const have = await readFile(file, "utf8").catch(() => "");
  const lines = have.split("\n");
  const kept = lines.filter((l) => l.replace(/#.*/, "").trim().split(/\s+/)[0] !== nick);
  if (kept.length === lines.length) {
    process.stderr.write(`maildirmake: ${nick} not found\n`);
    return 1;
  }
  const tmp = join(maildir, "tmp", uniqueTmpName("shared"));
  await writeFile(tmp, kept.join("\n"), { mode: 0o644 });
  await rename(tmp, file);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  let folder: string | undefined;
  let quota: string | undefined;
  let sharable = false;
  let shareMode: string | undefined;
  let i = 0;
  const value = (opt: string): string | undefined => {
    const a = argv[i];
    if (a.length > opt.length) return a.slice(opt.length);
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") {
      process.stdout.write(HELP);
      return 0;
    }
    if (a === "--add" || a === "--del" || a === "--checkutf8" || a === "--convutf8") {
      const arg = a === "--add" || a === "--del" ? argv[++i] : undefined;
      const maildir = argv[++i];
      if (!maildir || (arg === undefined && (a === "--add" || a === "--del"))) break;
      if (a === "--add") return addShared(maildir, arg!);
      if (a === "--del") return delShared(maildir, arg!);
      return convUtf8(maildir, a === "--checkutf8");
    }
    if (a === "-") {
      i++;
      break;
    }
    if (!a.startsWith("-")) break;
    if (a.startsWith("-f")) folder = value("-f");
    else if (a.startsWith("-q")) quota = value("-q");
    else if (a.startsWith("-s")) shareMode = value("-s");
    else if (a === "-S") sharable = true;
    else {
      process.stderr.write(USAGE);
      return 1;
    }
  }
  const maildir = argv[i === argv.length && argv[i - 1] === "-" ? i - 1 : i];
  if (!maildir || (shareMode !== undefined && !folder)) {
    process.stderr.write(USAGE);
    return 1;
  }
  process.umask(0);
  if (quota !== undefined) {
    const spec = parseQuotaSpec(quota);
    if (!hasQuota(spec)) {
      process.stderr.write("maildirmake: Invalid quota\n");
      return 1;
    }
    if (!(await exists(maildir))) await makeFolderDirs(maildir, false, {}, true);
    const root = await quotaRoot(maildir);
    await recalculateQuota(root, spec, !!process.env.MAILDIR_TRASHQUOTA);
    return 0;
  }
  if (folder !== undefined) {
    if (!folder || folder.startsWith(".") || folder.includes("/") || folder.split(".").includes("")) {
      process.stderr.write("Invalid folder name\n");
      return 1;
    }
    const path = join(maildir, `.${folder}`);
    const modes = shareMode !== undefined ? sharedModes(shareMode) : {};
    try {
      await makeFolderDirs(path, true, modes, true);
    } catch (e) {
      process.stderr.write(`maildirmake: ${path}: ${(e as Error).message}\n`);
      return 1;
    }
    return 0;
  }
  try {
    await makeFolderDirs(maildir, false, sharable ? { top: 0o755, sub: 0o700 } : {}, true);
  } catch (e) {
    process.stderr.write(`maildirmake: ${maildir}: ${(e as Error).message}\n`);
    return 1;
  }
  return 0;
}
