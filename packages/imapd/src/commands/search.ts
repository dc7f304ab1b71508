// SEARCH / UID SEARCH [CHARSET <charset>] <keys> (RFC 3501 §6.4.4). Header keys compare
// RFC 2047-decoded values, BODY/TEXT the transfer- and charset-decoded text, all
// case-insensitively. Unknown charsets: NO [BADCHARSET]. No EXPUNGE is sent during SEARCH.
// ESEARCH (RFC 4731), when advertised: `SEARCH RETURN (MIN MAX ALL COUNT) …` answers with
// `* ESEARCH (TAG "t") [UID] MIN n MAX n ALL set COUNT n`; `RETURN ()` means ALL. Without
// RETURN the reply is the plain `* SEARCH`.

import { charsetName, decodeCharset } from "@courier-imap/mime";
import { saveSummaries } from "../fetch/summary.js";
import { advertised } from "../mailbox/special-use.js";
import { compressSet } from "../mailbox/view.js";
import { astring } from "../parser/args.js";
import { KeyParser } from "../search/keys.js";
import { MessageMatcher } from "../search/match.js";
import { BadCommand, CommandRefused } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

const RETURN_OPTIONS = ["MIN", "MAX", "ALL", "COUNT"];

/** The ESEARCH reply for ascending `found`; MIN, MAX and ALL are left out when nothing matched. */
export function esearchResponse(tag: string, byUid: boolean, ret: Set<string>, found: number[]): string {
  let out = `ESEARCH (TAG "${tag}")${byUid ? " UID" : ""}`;
  if (found.length) {
    if (ret.has("MIN")) out += ` MIN ${found[0]}`;
    if (ret.has("MAX")) out += ` MAX ${found[found.length - 1]}`;
    if (ret.has("ALL")) out += ` ALL ${compressSet(found)}`;
  }
  if (ret.has("COUNT")) out += ` COUNT ${found.length}`;
  return out;
}

export const run: CommandHandler = async (s, cmd) => {
  const byUid = cmd.name === "UID SEARCH";
  let args = cmd.args;
  let ret: Set<string> | undefined;
  if (args[0]?.t === "atom" && args[0].v.toUpperCase() === "RETURN" && advertised(s, "ESEARCH")) {
    const opts = args[1];
    if (opts?.t !== "list") throw new BadCommand("RETURN needs a list of options");
    ret = new Set();
    for (const o of opts.v) {
      const v = o.t === "atom" ? o.v.toUpperCase() : "";
      if (!RETURN_OPTIONS.includes(v)) throw new BadCommand("Invalid SEARCH RETURN option");
      ret.add(v);
    }
    if (!ret.size) ret.add("ALL");
    args = args.slice(2);
  }
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
  if (ret) {
    s.untagged(esearchResponse(cmd.tag, byUid, ret, found));
    s.tagged(cmd.tag, "OK", "SEARCH done.");
  } else {
    s.untagged(`SEARCH${found.map((n) => ` ${n}`).join("")}`);
    s.tagged(cmd.tag, "OK", "SEARCH done.");
  }
  await saveSummaries(s);
};
