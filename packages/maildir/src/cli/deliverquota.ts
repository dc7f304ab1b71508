// deliverquota: deliver the message on stdin into a maildir's new/, honouring its Maildir++
// quota (maildir-formats.md §8.6). Exit codes as the Debian 5.0.13 binary (which differs from
// its man page and the spec's 77): 0 delivered; 75 with "Mail quota exceeded." on stdout when
// over quota (the MTA keeps the message queued); 75 on temporary failures; 73 on bad usage.

import { readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { QuotaExceededError } from "../errors.js";
import { makeFolderDirs } from "../folder-dirs.js";
import { addQuotaUsage, checkQuota, isCountedFolder, openQuota, quotaPercent, quotaRoot } from "../quota.js";
import { mailHostname } from "../unique-name.js";
import { storeMessage } from "../write-message.js";

const HELP = `Usage: deliverquota [-c] [-w percent] [-W warnmsg] maildir [quota]

Delivers the message on standard input into <maildir>/new, enforcing the
Maildir++ quota in <maildir>/maildirsize (or $MAILDIRQUOTA).

  -c          create the maildir if it does not exist
  -w percent  after delivery, put a quota warning into the INBOX when the
              maildir is at least this full (at most once a day)
  -W file     the warning message (default: $sysconfdir/quotawarnmsg)
  quota       obsolete: set a new quota, e.g. 10000000S

Exit status: 0 delivered, 75 over quota ("Mail quota exceeded.") or temporary
failure, 73 usage error (as Courier's binary; its man page says 77).
`;

export const EX_TEMPFAIL = 75;
export const EX_OVERQUOTA = EX_TEMPFAIL;
const EX_USAGE = 73;
const WARN_INTERVAL_MS = 24 * 3600 * 1000;

async function warnIfFull(root: string, percent: number, warnFile: string): Promise<void> {
  const q = await openQuota(root);
  if (!q || quotaPercent(q) < percent) return;
  const stamp = join(root, "quotawarn");
  try {
    if (Date.now() - (await stat(stamp)).mtimeMs < WARN_INTERVAL_MS) return;
  } catch {}
  let text: string;
  try {
    text = await readFile(warnFile, "utf8");
  } catch {
    return;
  }
  const now = new Date();
  const head = `Date: ${now.toUTCString().replace("GMT", "+0000")}\nMessage-Id: <${Math.floor(now.getTime() / 1000)}.overquota@${mailHostname()}>\n`;
  const stored = await storeMessage(root, head + text);
  await addQuotaUsage(root, stored.size, 1);
  await writeFile(stamp, "x");
  await utimes(stamp, now, now);
}

export async function main(argv: string[]): Promise<number> {
  let create = false;
  let warnPercent: number | undefined;
  let warnFile = process.env.QUOTAWARNMSG || "/etc/courier/quotawarnmsg";
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") {
      process.stdout.write(HELP);
      return 0;
    }
    if (a === "-c") create = true;
    else if (a.startsWith("-w")) warnPercent = Number(a.length > 2 ? a.slice(2) : argv[++i]);
    else if (a.startsWith("-W")) warnFile = a.length > 2 ? a.slice(2) : argv[++i];
    else if (a.startsWith("-") && a !== "-") {
      process.stderr.write(`deliverquota: unknown option ${a}\n${HELP}`);
      return EX_USAGE;
    } else rest.push(a);
  }
  const [maildir, newQuota] = rest;
  if (!maildir) {
    process.stderr.write("Usage: deliverquota [-c] [-w percent] maildir\n");
    return EX_USAGE;
  }
  try {
    if (create) await makeFolderDirs(maildir, false);
    await stat(join(maildir, "tmp"));
  } catch (e) {
    process.stderr.write(`deliverquota: ${maildir}: ${(e as Error).message}\n`);
    return EX_TEMPFAIL;
  }
  const root = await quotaRoot(maildir);
  const override = newQuota ?? process.env.MAILDIRQUOTA;
  const counted = isCountedFolder(maildir, !!process.env.MAILDIR_TRASHQUOTA);
  try {
    const stored = await storeMessage(maildir, process.stdin, {
      beforePublish: counted
        ? async (size) => void (await checkQuota(root, size, 1, { override }))
        : undefined,
      dirsync: !!process.env.MAILDIR_DIRSYNC,
    });
    if (counted) await addQuotaUsage(root, stored.size, 1);
  } catch (e) {
    if (e instanceof QuotaExceededError) {
      process.stdout.write("Mail quota exceeded.\n");
      return EX_OVERQUOTA;
    }
    process.stderr.write(`deliverquota: ${(e as Error).message}\n`);
    return EX_TEMPFAIL;
  }
  if (warnPercent !== undefined && warnPercent > 0)
    await warnIfFull(root, warnPercent, warnFile).catch(() => {});
  return 0;
}
