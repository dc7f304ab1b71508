// SEARCH / UID SEARCH [CHARSET <charset>] <keys> (RFC 3501 §6.4.4). Header keys compare
// RFC 2047-decoded values, BODY/TEXT the transfer- and charset-decoded text, all
// case-insensitively. Unknown charsets: NO [BADCHARSET]. No EXPUNGE is sent during SEARCH.

import { charsetName, decodeCharset } from "@courier-imap/mime";
import { astring } from "../parser/args.js";
import { KeyParser } from "../search/keys.js";
import { MessageMatcher } from "../search/match.js";
import { BadCommand, CommandRefused } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  const byUid = cmd.name === "UID SEARCH";
  let args = cmd.args;
  let charset = "utf-8";
  if (args[0]?.t === "atom" && args[0].v.toUpperCase() === "CHARSET") {
    const label = astring(args[1], "charset");
    const name = charsetName(label);
    if (!name) throw new CommandRefused("[BADCHARSET (UTF-8 US-ASCII)] Unknown search charset.");
    charset = label;
    args = args.slice(2);
  }
  if (!args.length) throw new BadCommand("Missing search criteria");
  const key = new KeyParser(args, (b) => decodeCharset(b, charset)).parseAll();
  const sel = s.state.selected!;
  const folder = s.mailbox!.folder;
  const uids = sel.uids;
  const found: number[] = [];
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
    let hit: boolean;
    try {
      hit = await m.matches(key);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      hit = false;
    }
    if (hit) found.push(byUid ? msg.uid : i + 1);
  }
  s.untagged(`SEARCH${found.map((n) => ` ${n}`).join("")}`);
  s.tagged(cmd.tag, "OK", "SEARCH done.");
};
