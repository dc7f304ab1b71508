export * from "./listener.js";
export * from "./options.js";
export * from "./slots.js";
