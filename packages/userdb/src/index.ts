export * from "./compile.js";
export * from "./edit.js";
export * from "./paths.js";
export * from "./reader.js";
export * from "./textformat.js";
