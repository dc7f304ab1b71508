// mkimapdcert / mkpop3dcert: make the self-signed certificate imapd-ssl / pop3d-ssl use,
// from imapd.cnf / pop3d.cnf, and never overwrite an existing one.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCertTemplate } from "../cert/cnf.js";
import { makeSelfSigned } from "../cert/make-cert.js";

const SHIPPED_CONFIG = resolve(fileURLToPath(import.meta.url), "../../../../../../config");

function help(service: "imapd" | "pop3d"): string {
  const prog = `mk${service}cert`;
  return `Usage: ${prog} [-config FILE] [PEMFILE]

Makes a self-signed certificate for ${service === "imapd" ? "IMAP" : "POP3"} over TLS and writes
its private key and certificate into PEMFILE (mode 0600). Refuses, with status 1,
when PEMFILE already exists: delete it first to make a new one.

  PEMFILE        default: $TLS_CERTFILE, else /etc/courier/${service}.pem
  -config FILE   the template; default: ${service}.cnf beside PEMFILE, else the
                 shipped ${join(SHIPPED_CONFIG, `${service}.cnf`)}.
                 OpenSSL "req" format (default_bits, default_days, the
                 distinguished_name section) or a GnuTLS certtool template.
                 The certificate is valid for 365 days unless it says otherwise.
`;
}

export async function mkcert(service: "imapd" | "pop3d", argv: string[]): Promise<number> {
  const prog = `mk${service}cert`;
  let config: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") {
      process.stdout.write(help(service));
      return 0;
    }
    if (a === "-config" || a === "--config") config = argv[++i];
    else if (a.startsWith("--config=") || a.startsWith("-config=")) config = a.slice(a.indexOf("=") + 1);
    else if (a.startsWith("-")) {
      process.stderr.write(`${prog}: unknown option ${a}\n`);
      return 1;
    } else rest.push(a);
  }
  if (rest.length > 1 || config === "") {
    process.stderr.write(help(service));
    return 1;
  }
  const pem = rest[0] ?? (process.env.TLS_CERTFILE || `/etc/courier/${service}.pem`);
  if (existsSync(pem)) {
    process.stderr.write(`${pem} already exists.\n`);
    return 1;
  }
  const beside = join(dirname(pem), `${service}.cnf`);
  config ??= existsSync(beside) ? beside : join(SHIPPED_CONFIG, `${service}.cnf`);
  let text: string;
  try {
    text = readFileSync(config, "utf8");
  } catch (e) {
    process.stderr.write(`${prog}: cannot read ${config}: ${(e as NodeJS.ErrnoException).code}\n`);
    return 1;
  }
  const out = await makeSelfSigned(parseCertTemplate(text));
  try {
    writeFileSync(pem, out, { mode: 0o600, flag: "wx" });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    process.stderr.write(
      code === "EEXIST" ? `${pem} already exists.\n` : `${prog}: cannot write ${pem}: ${code}\n`,
    );
    return 1;
  }
  return 0;
}
