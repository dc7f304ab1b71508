export * from "./detach.js";
export * from "./libc.js";
export * from "./options.js";
export * from "./pidlock.js";
export * from "./privileges.js";
export * from "./pump.js";
export * from "./supervise.js";
export * from "./syslog.js";
