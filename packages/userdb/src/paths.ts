/** The userdb source path: env USERDB, else Debian's /etc/courier/userdb. */
export function defaultUserdbPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.USERDB || "/etc/courier/userdb";
}
