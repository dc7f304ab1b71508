// A flag list argument (STORE, APPEND): system flags and keywords, split. `\Recent` is
// accepted and ignored (clients cannot set it); an unknown `\Flag` is a BAD.

import { type Flag, flagByName, isValidKeyword } from "@courier-imap/maildir";
import type { Token } from "../parser/tokens.js";
import { BadCommand } from "../session/errors.js";

export interface FlagArgs {
  flags: Flag[];
  keywords: string[];
}

/** Parses `(\Seen foo)`, `NIL`/`()` (nothing) or, when `single` is allowed, one bare flag. */
export function parseFlagArgs(tok: Token | undefined, single: boolean): FlagArgs {
  let items: Token[];
  if (tok?.t === "list") items = tok.v;
  else if (tok?.t === "atom" && tok.v.toUpperCase() === "NIL") items = [];
  else if (tok?.t === "atom" && single) items = [tok];
  else throw new BadCommand("Invalid flag list");
  const out: FlagArgs = { flags: [], keywords: [] };
  for (const t of items) {
    if (t.t !== "atom") throw new BadCommand("Invalid flag");
    if (t.v.startsWith("\\")) {
      if (t.v.toLowerCase() === "\\recent") continue;
      const f = flagByName(t.v);
      if (!f) throw new BadCommand(`Invalid system flag ${t.v.slice(0, 40)}`);
      if (!out.flags.includes(f)) out.flags.push(f);
    } else {
      if (!isValidKeyword(t.v)) throw new BadCommand("Invalid keyword");
      out.keywords.push(t.v);
    }
  }
  return out;
}
