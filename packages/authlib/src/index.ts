export * from "./client.js";
export * from "./options.js";
export * from "./protocol.js";
export * from "./record.js";
