export * from "./chain.js";
export * from "./connection.js";
export * from "./log.js";
export * from "./modules/authuserdb.js";
export * from "./modules/registry.js";
export * from "./rcfile.js";
export * from "./settings.js";
export * from "./supervisor.js";
