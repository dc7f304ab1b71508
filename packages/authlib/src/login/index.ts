// Login-time helpers shared by imapd and pop3d: `@courier-imap/authlib/login`.

export { type WorkerConnection, workerConnection } from "./connection.js";
export { dropPrivileges } from "./drop-privileges.js";
export { enterAccount, loginFailDelayMs, maildirPath } from "./enter-account.js";
