export * from "./authrc.js";
export * from "./errors.js";
export * from "./load.js";
export * from "./shell.js";
export * from "./sysconftool.js";
export * from "./values.js";
