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
  STARTTLS: { phases: PRE, load: () => import("./starttls.js") },
  ENABLE: { phases: AUTH, load: () => import("./enable.js") },
  IDLE: { phases: AUTH, load: () => import("./idle.js") },
  NAMESPACE: { phases: AUTH, load: () => import("./namespace.js") },
  ID: { phases: ANY, load: () => import("./id.js") },
  GETQUOTA: { phases: AUTH, load: () => import("./quota.js") },
  GETQUOTAROOT: { phases: AUTH, load: () => import("./quota.js") },
  SETQUOTA: { phases: AUTH, load: () => import("./quota.js") },
  LIST: { phases: AUTH, load: () => import("./list.js") },
  LSUB: { phases: AUTH, load: () => import("./list.js") },
  SELECT: { phases: AUTH, load: () => import("./select.js") },
  EXAMINE: { phases: AUTH, load: () => import("./select.js") },
  CREATE: { phases: AUTH, load: () => import("./create.js") },
  DELETE: { phases: AUTH, load: () => import("./delete.js") },
  RENAME: { phases: AUTH, load: () => import("./rename.js") },
  SUBSCRIBE: { phases: AUTH, load: () => import("./subscribe.js") },
  UNSUBSCRIBE: { phases: AUTH, load: () => import("./subscribe.js") },
  STATUS: { phases: AUTH, load: () => import("./status.js") },
  APPEND: { phases: AUTH, load: () => import("./append.js") },
  CHECK: { phases: SELECTED, load: () => import("./check.js") },
  CLOSE: { phases: SELECTED, load: () => import("./close.js") },
  UNSELECT: { phases: SELECTED, load: () => import("./close.js") },
  EXPUNGE: { phases: SELECTED, load: () => import("./expunge.js") },
  "UID EXPUNGE": { phases: SELECTED, load: () => import("./expunge.js") },
  SEARCH: { phases: SELECTED, load: () => import("./search.js") },
  "UID SEARCH": { phases: SELECTED, load: () => import("./search.js") },
  SORT: { phases: SELECTED, load: () => import("./sort.js") },
  "UID SORT": { phases: SELECTED, load: () => import("./sort.js") },
  THREAD: { phases: SELECTED, load: () => import("./thread.js") },
  "UID THREAD": { phases: SELECTED, load: () => import("./thread.js") },
  FETCH: { phases: SELECTED, load: () => import("./fetch.js") },
  "UID FETCH": { phases: SELECTED, load: () => import("./fetch.js") },
  STORE: { phases: SELECTED, load: () => import("./store.js") },
  "UID STORE": { phases: SELECTED, load: () => import("./store.js") },
  COPY: { phases: SELECTED, load: () => import("./copy.js") },
  "UID COPY": { phases: SELECTED, load: () => import("./copy.js") },
  MOVE: { phases: SELECTED, load: () => import("./move.js") },
  "UID MOVE": { phases: SELECTED, load: () => import("./move.js") },
};
