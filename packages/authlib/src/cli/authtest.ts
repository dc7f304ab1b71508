import { connect } from "node:net";
import { authLogin, authPasswd, authPre } from "../client.js";
import type { AuthResult } from "../protocol.js";
import type { AuthRecord } from "../record.js";
import { authdaemonSocket } from "../socketpath.js";

const USAGE = "Usage: authtest [-s service] userid [ password [ newpassword ] ]\n";

const HELP = `NAME
    authtest - test authdaemond

SYNOPSIS
    authtest [-s service] loginid [password [newpassword]]

DESCRIPTION
    With only LOGINID, looks the account up (PRE); with PASSWORD, logs in
    (AUTH, authtype login); with NEWPASSWORD too, changes the password
    (PASSWD). Prints the account record authdaemond returned, including the
    password hash and the cleartext password: a diagnostic for root.

    The socket is $AUTHDAEMONSOCKET, else /run/courier/authdaemon/socket.
    TCPREMOTEIP is sent as ::1 unless set in the environment.

OPTIONS
    -s service  service name (default "login"; selects the userdb field
                <service>pw).
    --help      this text.

EXIT STATUS
    0 on success; 1 on failure or a usage error.
`;

function probe(path: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.on("connect", () => {
      s.destroy();
      resolve(undefined);
    });
    s.on("error", (e) => resolve(e));
  });
}

function printRecord(r: AuthRecord): void {
  let who = "";
  if (r.username !== undefined) who = `  (system username: ${r.username})`;
  else if (r.uid !== undefined) who = `  (uid ${r.uid}, gid ${r.gid})`;
  else who = `  (*** UID/GID initialization error***)`;
  const v = (x: string | undefined) => (x === undefined || x === "" ? "(none)" : x);
  process.stdout.write(
    "Authentication succeeded.\n\n" +
      `     Authenticated: ${r.address ?? ""}${who}\n` +
      `    Home Directory: ${r.home}\n` +
      `           Maildir: ${v(r.maildir)}\n` +
      `             Quota: ${v(r.quota)}\n` +
      `Encrypted Password: ${v(r.passwd)}\n` +
      `Cleartext Password: ${v(r.passwd2)}\n` +
      `           Options: ${v(r.options)}\n`,
  );
}

async function failure(socket: string, result: AuthResult): Promise<number> {
  if (result.kind === "tempfail") {
    const e = await probe(socket);
    if (e) {
      process.stderr.write(`ERR: authdaemon: s_connect() failed: ${e.message}\n`);
      if (e.code === "ECONNREFUSED" || e.code === "ENOENT" || e.code === "ETIMEDOUT")
        process.stderr.write("ERR: [Hint: perhaps authdaemond is not running?]\n");
    }
    process.stderr.write("Authentication FAILED: Input/output error\n");
  } else {
    process.stderr.write("Authentication FAILED: Operation not permitted\n");
  }
  return 1;
}

export async function main(argv: string[]): Promise<number> {
  let service = "login";
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (args.length || !a.startsWith("-")) args.push(a);
    else if (a === "--") {
      args.push(...argv.slice(i + 1));
      break;
    } else if (a === "--help") {
      process.stdout.write(HELP);
      return 0;
    } else if (a === "-s" && argv[i + 1] !== undefined) service = argv[++i];
    else if (a.startsWith("-s") && a.length > 2) service = a.slice(2);
    else {
      process.stderr.write(USAGE);
      return 1;
    }
  }
  if (args.length < 1 || args.length > 3) {
    process.stderr.write(USAGE);
    return 1;
  }
  const socket = authdaemonSocket();
  const opts = { socket };
  const [user, pass, newpass] = args;
  if (newpass !== undefined) {
    if (await authPasswd(opts, service, user, pass, newpass)) {
      process.stderr.write("Password change succeeded.\n");
      return 0;
    }
    process.stderr.write("Authentication FAILED: Operation not permitted\n");
    return 1;
  }
  process.env.TCPREMOTEIP ??= "::1";
  const result =
    pass === undefined ? await authPre(opts, service, user) : await authLogin(opts, service, user, pass);
  if (result.kind !== "ok") return failure(socket, result);
  printRecord(result.record);
  return 0;
}
