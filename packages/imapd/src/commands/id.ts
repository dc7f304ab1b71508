// ID (RFC 2971), only when IMAP_ID_FIELDS is set (imapd-behaviour.md §4.1, §7.11): the
// reply names Courier-IMAP; IMAP_ID_FIELDS bit 1 adds the version, 2 the OS name, 4 its
// release. The client's fields (at most 30 pairs) go to the log as `INFO: ID, user=…`.

import { release, type } from "node:os";
import { imapString } from "../mailbox/names.js";
import { expectCount } from "../parser/args.js";
import type { Token } from "../parser/tokens.js";
import { BadCommand } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

export const VERSION = "5.2.10";
const MAX_PAIRS = 30;

function text(tok: Token): string | null {
  if (tok.t === "atom" && tok.v.toUpperCase() === "NIL") return null;
  if (tok.t === "string") return tok.v.toString("utf8");
  throw new BadCommand("ID values must be strings or NIL");
}

export const run: CommandHandler = async (s, cmd) => {
  const fields = s.settings.env.IMAP_ID_FIELDS;
  if (fields === undefined) throw new BadCommand("ID is not enabled");
  expectCount(cmd.args, 1);
  const arg = cmd.args[0];
  const pairs: [string, string | null][] = [];
  if (arg.t === "list") {
    if (arg.v.length % 2 || arg.v.length / 2 > MAX_PAIRS) throw new BadCommand("invalid ID parameter list");
    for (let i = 0; i < arg.v.length; i += 2) {
      const k = text(arg.v[i]);
      if (k === null) throw new BadCommand("ID field names must be strings");
      pairs.push([k, text(arg.v[i + 1])]);
    }
  } else if (!(arg.t === "atom" && arg.v.toUpperCase() === "NIL"))
    throw new BadCommand("ID needs a list or NIL");
  if (pairs.length) {
    const clean = (v: string) => v.replace(/[\x00-\x1f\x7f,]/g, ".");
    s.log.line(
      "INFO",
      `ID, user=${clean(s.state.user ?? "")}, ip=[${s.settings.remoteIp}], port=[${s.settings.remotePort}], ${pairs
        .map(([k, v]) => `${clean(k)}=${v === null ? "NIL" : clean(v)}`)
        .join(", ")}`,
    );
  }
  const bits = Number.parseInt(fields, 10) || 0;
  const out = ['"name" "Courier-IMAP"'];
  if (bits & 1) out.push(`"version" ${imapString(VERSION)}`);
  if (bits & 2) out.push(`"os" ${imapString(type())}`);
  if (bits & 4) out.push(`"os-version" ${imapString(release())}`);
  out.push('"vendor" "S. Varshavchik."');
  s.untagged(`ID (${out.join(" ")})`);
  s.tagged(cmd.tag, "OK", "ID completed.");
};
