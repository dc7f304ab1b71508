import { authEnumerate } from "../client.js";
import { getOptionInt } from "../options.js";
import { authdaemonSocket } from "../socketpath.js";

const USAGE = "Usage: authenumerate [-s] [-o]\n";

const HELP = `NAME
    authenumerate - list every account authdaemond knows

SYNOPSIS
    authenumerate [-s] [-o]

DESCRIPTION
    Sends ENUMERATE to authdaemond and prints one line per account:
    name<TAB>uid<TAB>gid<TAB>home<TAB>maildir[<TAB>options]. Accounts with
    uid or gid 0 are left out, as Courier's client does.

    The socket is $AUTHDAEMONSOCKET, else /run/courier/authdaemon/socket.

OPTIONS
    -s      skip accounts whose options have disableshared set.
    -o      print the options column.
    --help  this text.

EXIT STATUS
    0 when the complete list was received; 1 otherwise (daemon not running,
    a module failed, timeout).
`;

export async function main(argv: string[]): Promise<number> {
  let skipShared = false;
  let withOptions = false;
  for (const a of argv) {
    if (a === "--help") {
      process.stdout.write(HELP);
      return 0;
    }
    if (a === "-s") skipShared = true;
    else if (a === "-o") withOptions = true;
    else {
      process.stderr.write(USAGE);
      return 1;
    }
  }
  const list = await authEnumerate({ socket: authdaemonSocket() });
  if (!list) {
    process.stderr.write("authenumerate: incomplete account list from authdaemond\n");
    return 1;
  }
  let out = "";
  for (const a of list) {
    if (skipShared && getOptionInt(a.options, "disableshared")) continue;
    out += `${a.name}\t${a.uid}\t${a.gid}\t${a.home}\t${a.maildir}${withOptions ? `\t${a.options}` : ""}\n`;
  }
  process.stdout.write(out);
  return 0;
}
