// Small typed accessors for command arguments; each throws a BadCommand naming the problem.

import { BadCommand } from "../session/errors.js";
import type { Token } from "./tokens.js";

export function expectCount(args: Token[], min: number, max = min): void {
  if (args.length < min || args.length > max) throw new BadCommand("wrong number of arguments");
}

/** astring: atom, quoted string or literal, as UTF-8 text. */
export function astring(tok: Token | undefined, what = "argument"): string {
  if (tok?.t === "atom") return tok.v;
  if (tok?.t === "string") return tok.v.toString("utf8");
  throw new BadCommand(`invalid ${what}`);
}

export function atom(tok: Token | undefined, what = "argument"): string {
  if (tok?.t === "atom") return tok.v;
  throw new BadCommand(`invalid ${what}`);
}
