import { mkcert } from "./mkcert.js";

export const main = (argv: string[]) => mkcert("imapd", argv);
