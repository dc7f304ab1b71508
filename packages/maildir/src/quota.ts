// Maildir++ quota, `maildirsize` in the root (maildir-formats.md §8): line 1 the quota
// (`<n>S,<n>C`), then `<bytes> <count>` lines (two width-12 fields, 26 bytes) summed for the
// usage. A file of 5120 bytes or more, or a negative total, forces a recalculation; an
// over-quota verdict from a single-line file younger than 15 minutes is trusted.

import { constants } from "node:fs";
import { lstat, readdir, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { QuotaExceededError } from "./errors.js";
import { parseFlags } from "./flags.js";
import { safeOpen } from "./safe-open.js";
import { mailHostname } from "./unique-name.js";

export const MAILDIRSIZE = "maildirsize";
const READ_LIMIT = 5120;
const TRUST_MS = 15 * 60 * 1000;
const TRASH_DIR = ".Trash";

export interface QuotaSpec {
  /** Byte limit; 0 = none. */
  bytes: number;
  /** Message count limit; 0 = none. */
  count: number;
}

export interface QuotaUsage {
  bytes: number;
  count: number;
}

export interface QuotaState {
  spec: QuotaSpec;
  usage: QuotaUsage;
  /** Numeric lines in the file. */
  lines: number;
  recalcNeeded: boolean;
  mtimeMs: number;
}

/** Parses `10000000S,1000C`: digit runs followed by S or C; other suffixes are ignored. */
export function parseQuotaSpec(text: string): QuotaSpec {
  const spec = { bytes: 0, count: 0 };
  for (const m of text.matchAll(/(\d+)([A-Za-z]?)/g)) {
    if (m[2] === "S") spec.bytes = Number(m[1]);
    else if (m[2] === "C") spec.count = Number(m[1]);
    else process.stderr.write(`maildirsize: ignoring quota field "${m[0]}"\n`);
  }
  return spec;
}

export function formatQuotaSpec(spec: QuotaSpec): string {
  const parts: string[] = [];
  if (spec.bytes) parts.push(`${spec.bytes}S`);
  if (spec.count) parts.push(`${spec.count}C`);
  return parts.join(",");
}

export function formatUsageLine(bytes: number, count: number): string {
  return `${String(bytes).padStart(12)} ${String(count).padStart(12)}\n`;
}

export function hasQuota(spec: QuotaSpec): boolean {
  return spec.bytes > 0 || spec.count > 0;
}

/** The Maildir++ root of a folder directory: `..` when it holds `maildirfolder`. */
export async function quotaRoot(folderPath: string): Promise<string> {
  try {
    await stat(join(folderPath, "maildirfolder"));
    return dirname(folderPath);
  } catch {
    return folderPath;
  }
}

/** Whether messages of this folder directory count (the literal `.Trash` does not). */
export function isCountedFolder(folderPath: string, trashQuota: boolean): boolean {
  return trashQuota || basename(folderPath) !== TRASH_DIR;
}

/** Whether a message file counts: \Deleted (T) ones do not, unless trashquota. */
export function isCountedFile(filename: string, trashQuota: boolean): boolean {
  return trashQuota || !parseFlags(filename).includes("\\Deleted");
}

/** Size from the last `,S=` before the first `:`, else undefined. */
export function sizeFromName(filename: string): number | undefined {
  const colon = filename.indexOf(":");
  const head = colon < 0 ? filename : filename.slice(0, colon);
  const m = /,S=(\d+)(?!.*,S=\d)/.exec(head);
  return m ? Number(m[1]) : undefined;
}

export async function readQuota(root: string, skipSymlinkChecks = false): Promise<QuotaState | undefined> {
  let fh: Awaited<ReturnType<typeof safeOpen>>;
  try {
    fh = await safeOpen(join(root, MAILDIRSIZE), constants.O_RDONLY, 0o644, skipSymlinkChecks);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  try {
    const buf = Buffer.alloc(READ_LIMIT);
    let n = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, n, READ_LIMIT - n, n);
      if (!bytesRead) break;
      n += bytesRead;
      if (n >= READ_LIMIT) break;
    }
    const mtimeMs = (await fh.stat()).mtimeMs;
    const lines = buf.subarray(0, n).toString("latin1").split("\n");
    const spec = parseQuotaSpec(lines[0] ?? "");
    const state: QuotaState = { spec, usage: { bytes: 0, count: 0 }, lines: 0, recalcNeeded: false, mtimeMs };
    if (n >= READ_LIMIT) {
      state.recalcNeeded = true;
      return state;
    }
    for (const line of lines.slice(1)) {
      const m = /^\s*(-?\d+)\s+(-?\d+)/.exec(line);
      if (!m) continue;
      state.usage.bytes += Number(m[1]);
      state.usage.count += Number(m[2]);
      state.lines++;
    }
    if (state.usage.bytes < 0 || state.usage.count < 0) state.recalcNeeded = true;
    return state;
  } finally {
    await fh.close();
  }
}

function within(spec: QuotaSpec, usage: QuotaUsage, addBytes: number, addCount: number): boolean {
  if (spec.bytes && usage.bytes + addBytes > spec.bytes) return false;
  if (spec.count && usage.count + addCount > spec.count) return false;
  return true;
}

async function countDir(dir: string, trashQuota: boolean, usage: QuotaUsage): Promise<number> {
  let names: string[];
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(dir)).mtimeMs;
    names = await readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (name.startsWith(".") || !isCountedFile(name, trashQuota)) continue;
    let size = sizeFromName(name);
    if (size === undefined) {
      try {
        size = (await stat(join(dir, name))).size;
      } catch {
        continue;
      }
    }
    usage.bytes += size;
    usage.count++;
  }
  return mtimeMs;
}

async function countedDirs(root: string, trashQuota: boolean): Promise<string[]> {
  const dirs = [root];
  for (const name of await readdir(root)) {
    if (!name.startsWith(".") || name === "." || name === "..") continue;
    if (!isCountedFolder(name, trashQuota)) continue;
    try {
      if ((await lstat(join(root, name))).isSymbolicLink()) continue;
    } catch {
      continue;
    }
    dirs.push(join(root, name));
  }
  return dirs.flatMap((d) => [join(d, "new"), join(d, "cur")]);
}

/** Recounts the whole maildir and writes a fresh two-line `maildirsize`; undefined = raced, retry. */
async function recalculateOnce(
  root: string,
  spec: QuotaSpec,
  trashQuota: boolean,
): Promise<QuotaUsage | undefined> {
  const usage = { bytes: 0, count: 0 };
  const dirs = await countedDirs(root, trashQuota);
  let newest = 0;
  for (const d of dirs) newest = Math.max(newest, await countDir(d, trashQuota, usage));
  const tmp = join(
    root,
    "tmp",
    `${Math.floor(Date.now() / 1000)}.${process.pid}_NeWmAiLdIrSiZe.${mailHostname()}`,
  );
  const flags = constants.O_CREAT | constants.O_TRUNC | constants.O_WRONLY | constants.O_APPEND;
  const fh = await safeOpen(tmp, flags, 0o644, true);
  try {
    await fh.write(`${formatQuotaSpec(spec)}\n${formatUsageLine(usage.bytes, usage.count)}`);
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, join(root, MAILDIRSIZE));
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
  for (const d of dirs) {
    try {
      if ((await stat(d)).mtimeMs > newest) return undefined;
    } catch {}
  }
  return usage;
}

export async function recalculateQuota(
  root: string,
  spec: QuotaSpec,
  trashQuota: boolean,
): Promise<QuotaUsage> {
  let usage: QuotaUsage | undefined;
  for (let i = 0; i < 5 && !usage; i++) usage = await recalculateOnce(root, spec, trashQuota);
  return usage ?? (await readQuota(root, true))?.usage ?? { bytes: 0, count: 0 };
}

export interface QuotaCheckOptions {
  trashQuota?: boolean;
  /** MAILDIRQUOTA: replaces the file's quota when different (creating the file). */
  override?: string;
  skipSymlinkChecks?: boolean;
}

/** The quota in force for `root` (applying an override), or undefined when there is none. */
export async function openQuota(root: string, opts: QuotaCheckOptions = {}): Promise<QuotaState | undefined> {
  let state = await readQuota(root, opts.skipSymlinkChecks);
  if (opts.override !== undefined && opts.override !== "") {
    const spec = parseQuotaSpec(opts.override);
    if (hasQuota(spec) && (!state || formatQuotaSpec(state.spec) !== formatQuotaSpec(spec))) {
      await recalculateQuota(root, spec, !!opts.trashQuota);
      state = await readQuota(root, true);
    }
  }
  return state && hasQuota(state.spec) ? state : undefined;
}

/**
 * Checks that adding `bytes`/`count` stays within the quota (§8.3); throws QuotaExceededError.
 * Returns the state (undefined when there is no quota).
 */
export async function checkQuota(
  root: string,
  bytes: number,
  count: number,
  opts: QuotaCheckOptions = {},
): Promise<QuotaState | undefined> {
  const state = await openQuota(root, opts);
  if (!state) return undefined;
  if (!state.recalcNeeded) {
    if (within(state.spec, state.usage, bytes, count)) return state;
    if (state.lines === 1 && Date.now() - state.mtimeMs < TRUST_MS) throw new QuotaExceededError();
  }
  state.usage = await recalculateQuota(root, state.spec, !!opts.trashQuota);
  state.lines = 1;
  state.recalcNeeded = false;
  if (!within(state.spec, state.usage, bytes, count)) throw new QuotaExceededError();
  return state;
}

/** Appends one usage line (single O_APPEND write); no-op without a `maildirsize`. */
export async function addQuotaUsage(root: string, bytes: number, count: number): Promise<void> {
  if (!bytes && !count) return;
  let fh: Awaited<ReturnType<typeof safeOpen>>;
  try {
    fh = await safeOpen(join(root, MAILDIRSIZE), constants.O_WRONLY | constants.O_APPEND, 0o644, true);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  try {
    await fh.write(formatUsageLine(bytes, count));
  } finally {
    await fh.close();
  }
}

/** "Percentage full": the higher of bytes% and count% (KiB units for byte quotas above 20,000,000). */
export function quotaPercent(state: QuotaState): number {
  let pct = 0;
  const { spec, usage } = state;
  if (spec.bytes) {
    pct =
      spec.bytes > 20_000_000
        ? Math.floor((Math.floor(usage.bytes / 1024) * 100) / Math.floor(spec.bytes / 1024))
        : Math.floor((usage.bytes * 100) / spec.bytes);
  }
  if (spec.count) pct = Math.max(pct, Math.floor((usage.count * 100) / spec.count));
  return pct;
}
