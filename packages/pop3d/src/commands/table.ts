// Every POP3 command, the phases it is valid in, and the module that runs it (loaded on
// first use, so a worker that never logs in never loads the mailbox code).
// Anything else is `-ERR Invalid command.` (LAST, APOP, XTND are not implemented, as Courier).

import type { CommandSpec } from "./types.js";

const both = ["authorization", "transaction"] as const;
const pre = ["authorization"] as const;
const tx = ["transaction"] as const;

const general = () => import("./general.js");
const login = () => import("./user-pass.js");
const auth = () => import("./auth.js");
const stls = () => import("./stls.js");
const info = () => import("./mailbox-info.js");
const retrieve = () => import("./retrieve.js");
const marks = () => import("./marks.js");
const quit = () => import("./quit.js");

export const COMMANDS: Record<string, CommandSpec> = {
  CAPA: { phases: both, load: general, name: "capa" },
  LANG: { phases: both, load: general, name: "lang" },
  UTF8: { phases: both, load: general, name: "utf8" },
  QUIT: { phases: both, load: quit, name: "quit" },
  USER: { phases: pre, load: login, name: "user" },
  PASS: { phases: pre, load: login, name: "pass" },
  AUTH: { phases: pre, load: auth, name: "auth" },
  STLS: { phases: pre, load: stls, name: "stls" },
  STAT: { phases: tx, load: info, name: "stat" },
  LIST: { phases: tx, load: info, name: "list" },
  UIDL: { phases: tx, load: info, name: "uidl" },
  RETR: { phases: tx, load: retrieve, name: "retr" },
  TOP: { phases: tx, load: retrieve, name: "top" },
  DELE: { phases: tx, load: marks, name: "dele" },
  RSET: { phases: tx, load: marks, name: "rset" },
  NOOP: { phases: tx, load: marks, name: "noop" },
};
