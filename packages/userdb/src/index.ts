export * from "./compile.js";
export * from "./edit.js";
export * from "./paths.js";
export * from "./pw2userdb.js";
export * from "./reader.js";
export * from "./textformat.js";
