/** authdaemond's socket as clients find it: env AUTHDAEMONSOCKET, else Debian's path. */
export function authdaemonSocket(env: NodeJS.ProcessEnv = process.env): string {
  return env.AUTHDAEMONSOCKET || "/run/courier/authdaemon/socket";
}
