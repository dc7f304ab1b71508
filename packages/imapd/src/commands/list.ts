// LIST <reference> <pattern> (RFC 3501 §6.3.8). Walking skeleton: the only mailbox is INBOX;
// `*` matches anything, `%` anything but the hierarchy separator `.`.

import { astring, expectCount } from "../parser/args.js";
import type { CommandHandler } from "./types.js";

function patternRegex(pattern: string): RegExp {
  let re = "";
  for (const ch of pattern) {
    if (ch === "*") re += ".*";
    else if (ch === "%") re += "[^.]*";
    else re += ch.replace(/[\\^$.|?+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "s");
}

function quoted(s: string): string {
  return `"${s.replace(/["\\]/g, "\\$&")}"`;
}

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 2);
  const reference = astring(cmd.args[0], "reference");
  const pattern = astring(cmd.args[1], "mailbox pattern");
  if (pattern === "") {
    s.untagged('LIST (\\Noselect) "." ""');
  } else {
    let full = reference + pattern;
    if (/^inbox/i.test(full)) full = `INBOX${full.slice(5)}`;
    for (const name of ["INBOX"]) {
      if (patternRegex(full).test(name)) s.untagged(`LIST (\\HasNoChildren) "." ${quoted(name)}`);
    }
  }
  s.tagged(cmd.tag, "OK", "LIST completed");
};
