export * from "./handoff.js";
export * from "./listener.js";
export * from "./options.js";
export * from "./pool.js";
export * from "./slots.js";
export * from "./tls/index.js";
