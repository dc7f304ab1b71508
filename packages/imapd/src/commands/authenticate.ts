// AUTHENTICATE PLAIN (RFC 4616), with an initial response (SASL-IR) or after a `+ `
// continuation. `=` is an empty initial response; `*` cancels.

import { atom, expectCount } from "../parser/args.js";
import { BadCommand, CommandRefused } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

const MAX_RESPONSE = 8192;

function decodeBase64(text: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new BadCommand("invalid base64");
  return Buffer.from(text, "base64");
}

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 1, 2);
  const mech = atom(cmd.args[0], "mechanism").toUpperCase();
  if (mech !== "PLAIN") throw new CommandRefused("Unsupported authentication mechanism.");
  let response: string;
  if (cmd.args.length === 2) {
    response = atom(cmd.args[1], "initial response");
    if (response === "=") response = "";
  } else {
    s.out.write("+ \r\n");
    await s.out.flush();
    const r = await s.input.readLine(MAX_RESPONSE);
    if (!r) {
      s.close("silent");
      return;
    }
    if (r.overflow) throw new BadCommand("response too long");
    response = r.line.toString("latin1");
  }
  if (response === "*") throw new BadCommand("AUTHENTICATE cancelled");
  const fields = decodeBase64(response).toString("utf8").split("\0");
  const { loginWithPassword } = await import("../login/login-with-password.js");
  if (fields.length !== 3 || (fields[0] && fields[0] !== fields[1])) {
    await loginWithPassword(s, cmd.tag, undefined, undefined, "PLAIN");
    return;
  }
  await loginWithPassword(s, cmd.tag, fields[1], fields[2], "PLAIN");
};
