// GETQUOTA, GETQUOTAROOT, SETQUOTA (RFC 9208; imapd-behaviour.md §7.11) from maildirsize
// (maildir-formats.md §8). Own folders have the root "ROOT"; `shared.*` SHARED and `#shared.*`
// PUBLIC, which never carry values. STORAGE is in KiB rounded up. SETQUOTA is refused.

import { imapString } from "../mailbox/names.js";
import { astring, expectCount } from "../parser/args.js";
import { CommandRefused } from "../session/errors.js";
import type { Session } from "../session/session.js";
import type { CommandHandler } from "./types.js";

function rootOf(name: string): string {
  if (/^#shared(\.|$)/i.test(name)) return "PUBLIC";
  if (/^shared(\.|$)/i.test(name)) return "SHARED";
  return "ROOT";
}

async function quotaLine(s: Session, root: string): Promise<string> {
  const q = root === "ROOT" ? await s.maildir!.quota() : undefined;
  const res: string[] = [];
  if (q?.spec.bytes) res.push(`STORAGE ${Math.ceil(q.usage.bytes / 1024)} ${Math.ceil(q.spec.bytes / 1024)}`);
  if (q?.spec.count) res.push(`MESSAGE ${q.usage.count} ${q.spec.count}`);
  return `QUOTA ${imapString(root)}${res.length ? ` (${res.join(" ")})` : ""}`;
}

export const run: CommandHandler = async (s, cmd) => {
  if (cmd.name === "SETQUOTA") throw new CommandRefused("SETQUOTA No permission.");
  expectCount(cmd.args, 1);
  const arg = astring(cmd.args[0], cmd.name === "GETQUOTA" ? "quota root" : "mailbox");
  if (cmd.name === "GETQUOTA") {
    const root = arg.toUpperCase();
    if (!["ROOT", "SHARED", "PUBLIC"].includes(root)) throw new CommandRefused("Invalid quota root.");
    s.untagged(await quotaLine(s, root));
    s.tagged(cmd.tag, "OK", "GETQUOTA Ok.");
    return;
  }
  const name = /^inbox(\.|$)/i.test(arg) ? `INBOX${arg.slice(5)}` : arg;
  const root = rootOf(name);
  s.untagged(`QUOTAROOT ${imapString(name)} ${imapString(root)}`);
  s.untagged(await quotaLine(s, root));
  s.tagged(cmd.tag, "OK", "GETQUOTAROOT Ok.");
};
