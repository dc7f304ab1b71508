// What SORT and THREAD share: the IMAP_DISABLETHREADSORT switch, the mandatory charset and
// the search criteria (parsed by search/keys.ts, matched by search/match.ts).

import { charsetName, decodeCharset } from "@courier-imap/mime";
import { astring } from "../parser/args.js";
import type { Token } from "../parser/tokens.js";
import { KeyParser } from "../search/keys.js";
import { MessageMatcher } from "../search/match.js";
import { BadCommand, CommandRefused } from "../session/errors.js";
import type { Session } from "../session/session.js";
import { MessageFacts } from "./facts.js";

/** IMAP_DISABLETHREADSORT > 0: SORT and THREAD are refused (still advertised, as Courier). */
export function refuseIfDisabled(s: Session): void {
  const n = Number.parseInt(s.settings.env.IMAP_DISABLETHREADSORT ?? "", 10);
  if (Number.isFinite(n) && n > 0)
    throw new CommandRefused("This command is disabled by the system administrator.");
}

/** `<charset> <search keys>`: the selected folder's messages that match, in sequence order. */
export async function selectMessages(s: Session, args: Token[]): Promise<MessageFacts[]> {
  if (!args.length) throw new BadCommand("Missing charset");
  const label = astring(args[0], "charset");
  if (!charsetName(label)) throw new CommandRefused("[BADCHARSET (UTF-8 US-ASCII)] Unknown search charset.");
  if (args.length < 2) throw new BadCommand("Missing search criteria");
  const key = new KeyParser(args.slice(1), (b) => decodeCharset(b, label)).parseAll();
  const sel = s.state.selected!;
  const folder = s.mailbox!.folder;
  const uids = sel.uids;
  const out: MessageFacts[] = [];
  for (let i = 0; i < uids.length; i++) {
    const msg = folder.byUid(uids[i]);
    if (!msg) continue;
    const m = new MessageMatcher({
      folder,
      msg,
      seq: i + 1,
      exists: uids.length,
      maxUid: uids.length ? uids[uids.length - 1] : 0,
    });
    try {
      if (await m.matches(key)) out.push(new MessageFacts(folder, msg, i + 1));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
  return out;
}
