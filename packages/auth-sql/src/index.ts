export * from "./clause.js";
export * from "./connection.js";
export * from "./dialect.js";
export * from "./escape.js";
export * from "./module.js";
export * from "./queries.js";
export * from "./rows.js";
export * from "./settings.js";
