// The one table of IMAP commands. Each lives in its own file and is imported on first use.

import type { Phase } from "../session/state.js";
import type { CommandSpec } from "./types.js";

const ANY: Phase[] = ["not-authenticated", "authenticated", "selected"];
const PRE: Phase[] = ["not-authenticated"];
const AUTH: Phase[] = ["authenticated", "selected"];
const SELECTED: Phase[] = ["selected"];

export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  CAPABILITY: { phases: ANY, load: () => import("./capability.js") },
  NOOP: { phases: ANY, load: () => import("./noop.js") },
  LOGOUT: { phases: ANY, load: () => import("./logout.js") },
  LOGIN: { phases: PRE, load: () => import("./login.js") },
  AUTHENTICATE: { phases: PRE, load: () => import("./authenticate.js") },
  ENABLE: { phases: AUTH, load: () => import("./enable.js") },
  LIST: { phases: AUTH, load: () => import("./list.js") },
  SELECT: { phases: AUTH, load: () => import("./select.js") },
  EXAMINE: { phases: AUTH, load: () => import("./select.js") },
  FETCH: { phases: SELECTED, load: () => import("./fetch.js") },
  "UID FETCH": { phases: SELECTED, load: () => import("./fetch.js") },
};
