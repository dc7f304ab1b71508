// CREATE's parameters (RFC 4466 §2.2): `(USE (<attr>…))` from CREATE-SPECIAL-USE (RFC 6154
// §3), accepted only while CAPABILITY advertises it; any other parameter is a BAD. An
// attribute this server cannot give a folder: `NO [USEATTR]`, and nothing is created.

import type { Token } from "../parser/tokens.js";
import { BadCommand, CommandRefused } from "../session/errors.js";
import type { Session } from "../session/session.js";
import { advertised, CREATE_USE_ATTRIBUTES } from "./special-use.js";

/** The special-use attributes asked for, canonically spelt; none without parameters. */
export function createUseAttributes(s: Session, params: Token | undefined): string[] {
  if (!params) return [];
  if (params.t !== "list" || !advertised(s, "CREATE-SPECIAL-USE"))
    throw new BadCommand("wrong number of arguments");
  const out: string[] = [];
  let seenUse = false;
  for (let i = 0; i < params.v.length; i++) {
    const name = params.v[i];
    const value = params.v[i + 1];
    if (name.t !== "atom" || name.v.toUpperCase() !== "USE" || seenUse || value?.t !== "list")
      throw new BadCommand("Invalid CREATE parameters");
    seenUse = true;
    i++;
    for (const a of value.v) {
      if (a.t !== "atom" || !/^\\[A-Za-z]+$/.test(a.v)) throw new BadCommand("Invalid special-use attribute");
      const canon = CREATE_USE_ATTRIBUTES.find((c) => c.toLowerCase() === a.v.toLowerCase());
      if (!canon) throw new CommandRefused(`[USEATTR] ${a.v} not supported`);
      if (!out.includes(canon)) out.push(canon);
    }
  }
  return out;
}
