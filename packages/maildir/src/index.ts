export * from "./crlf.js";
export * from "./deliver.js";
export * from "./flags.js";
export * from "./folder.js";
export * from "./maildir.js";
export { compareNewNames, moveNewToCur, scanFolder } from "./scan.js";
export * from "./tmp-purge.js";
export * from "./uiddb.js";
export * from "./unique-name.js";
