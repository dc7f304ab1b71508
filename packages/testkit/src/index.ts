export * from "./net.js";
export * from "./syslog.js";
