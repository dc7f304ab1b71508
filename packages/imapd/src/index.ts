export { main } from "./cli/imapd.js";
export { capabilityString } from "./session/capability.js";
export { sanitize } from "./session/log.js";
export type { SessionState } from "./session/state.js";
