import { BUILTIN_MODULES, packagedModules } from "../modules/registry.js";
import { ConfigError } from "../rcfile.js";
import { defaultConfigFile, loadSettings, socketPath } from "../settings.js";

const HELP = `NAME
    authinfo - which authentication modules this installation has

SYNOPSIS
    authinfo [--config FILE]

DESCRIPTION
    Lists the modules built into authdaemond, the separately packaged ones
    (authldap, authmysql, authpgsql) and whether each is installed, then the
    authmodulelist of authdaemonrc with what authdaemond will do with each
    name, and the socket path.

OPTIONS
    --config FILE   configuration file (default: $AUTHDAEMONRC, else
                    /etc/courier/authdaemonrc).
    --help          this text.

EXIT STATUS
    0; 1 when authdaemonrc cannot be read or a listed module is unavailable.
`;

export async function main(argv: string[]): Promise<number> {
  let configFile = defaultConfigFile();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") {
      process.stdout.write(HELP);
      return 0;
    }
    if (a === "--config" && argv[i + 1] !== undefined) configFile = argv[++i];
    else if (a.startsWith("--config=")) configFile = a.slice(9);
    else {
      process.stderr.write("Usage: authinfo [--config FILE]\n");
      return 1;
    }
  }
  const packaged = await packagedModules();
  const available = new Set([...BUILTIN_MODULES, ...packaged.filter((p) => p.installed).map((p) => p.name)]);
  let out = `Built-in modules: ${BUILTIN_MODULES.join(" ")}\n`;
  for (const p of packaged)
    out += `Packaged module ${p.name}: ${p.installed ? "installed" : `not installed (@courier-imap/auth-${p.name.slice(4)})`}\n`;
  process.stdout.write(out);
  let settings: ReturnType<typeof loadSettings>;
  try {
    settings = loadSettings(configFile);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`authinfo: ${e.message}\n`);
    return 1;
  }
  out = `\nConfiguration: ${configFile}\nauthmodulelist="${settings.modules.join(" ")}"\n`;
  let missing = 0;
  for (const m of settings.modules) {
    const ok = available.has(m);
    if (!ok) missing++;
    out += `  ${m}: ${ok ? "enabled" : "not available here, will be skipped"}\n`;
  }
  out += `daemons=${settings.daemons}\nsocket: ${socketPath(settings)}\n`;
  process.stdout.write(out);
  return missing ? 1 : 0;
}
