// SPECIAL-USE (RFC 6154): attributes for the usual folder names, shown in LIST only when the
// CAPABILITY line (built from IMAP_CAPABILITY) advertises SPECIAL-USE. The map is
// IMAP_SPECIAL_USE, a comma-separated list of `<folder under INBOX>=<attribute>`; by default
// Sent, Drafts, the Trash folder (IMAP_TRASHFOLDERNAME), Junk, Spam and Archive. A folder
// made by CREATE … (USE (…)) (CREATE-SPECIAL-USE) shows its own attributes instead.

import { capabilityString } from "../session/capability.js";
import type { Session } from "../session/session.js";

export const SPECIAL_USE_ATTRIBUTES = [
  "\\All",
  "\\Archive",
  "\\Drafts",
  "\\Flagged",
  "\\Junk",
  "\\Sent",
  "\\Trash",
];

export function specialUseMap(env: NodeJS.ProcessEnv): Map<string, string> {
  const spec =
    env.IMAP_SPECIAL_USE ??
    `Sent=\\Sent,Drafts=\\Drafts,${env.IMAP_TRASHFOLDERNAME || "Trash"}=\\Trash,Junk=\\Junk,Spam=\\Junk,Archive=\\Archive`;
  const map = new Map<string, string>();
  for (const item of spec.split(",")) {
    const eq = item.lastIndexOf("=");
    if (eq <= 0) continue;
    const attr = item.slice(eq + 1).trim();
    const canon = SPECIAL_USE_ATTRIBUTES.find((a) => a.toLowerCase() === attr.toLowerCase());
    if (canon) map.set(`INBOX.${item.slice(0, eq).trim()}`, canon);
  }
  return map;
}

/** Whether CAPABILITY lists `cap`; `APPENDLIMIT` also matches `APPENDLIMIT=<n>`. */
export function advertised(s: Session, cap: string): boolean {
  return capabilityString(s.settings.env)
    .split(" ")
    .some((w) => w === cap || w.startsWith(`${cap}=`));
}

/** What CREATE … (USE (…)) accepts: \All and \Flagged need virtual mailboxes, which Maildir++ has not. */
export const CREATE_USE_ATTRIBUTES = ["\\Archive", "\\Drafts", "\\Junk", "\\Sent", "\\Trash"];

/**
 * For one command: the special-use attributes of a folder (filesystem-form name), space
 * separated, or undefined; always undefined unless SPECIAL-USE is advertised.
 */
export function specialUseLookup(s: Session): (name: string) => Promise<string | undefined> {
  if (!advertised(s, "SPECIAL-USE")) return async () => undefined;
  const map = specialUseMap(s.settings.env);
  const seen = new Map<string, Promise<string | undefined>>();
  const lookup = async (name: string) => {
    const own = await s.maildir!.specialUse(name).catch(() => []);
    return own.length ? own.join(" ") : map.get(name);
  };
  return (name) => {
    let p = seen.get(name);
    if (!p) seen.set(name, (p = lookup(name)));
    return p;
  };
}
