export * from "./errors.js";
export * from "./load.js";
export * from "./shell.js";
export * from "./values.js";
export * from "./authrc.js";
