// imapd.cnf / pop3d.cnf, the certificate templates mkimapdcert and mkpop3dcert read:
// upstream's OpenSSL `req` config ([ req ] + distinguished-name section) or Debian's
// GnuTLS certtool template (`cn = "localhost"`, `organization = …`, `expiration_days`).

export interface CertTemplate {
  /** Subject components in order, as short names (C, ST, L, O, OU, CN, E). */
  subject: [string, string][];
  bits: number;
  days: number;
}

const OPENSSL_NAMES: Record<string, string> = {
  C: "C",
  COUNTRYNAME: "C",
  ST: "ST",
  STATEORPROVINCENAME: "ST",
  L: "L",
  LOCALITYNAME: "L",
  O: "O",
  ORGANIZATIONNAME: "O",
  OU: "OU",
  ORGANIZATIONALUNITNAME: "OU",
  CN: "CN",
  COMMONNAME: "CN",
  EMAILADDRESS: "E",
};

const GNUTLS_NAMES: Record<string, string> = {
  country: "C",
  state: "ST",
  locality: "L",
  organization: "O",
  unit: "OU",
  cn: "CN",
  email: "E",
};

const unquote = (v: string) => v.trim().replace(/^"(.*)"$/, "$1");

function parseOpenSsl(text: string): CertTemplate {
  const sections = new Map<string, [string, string][]>();
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    if (!line) continue;
    const sec = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (sec) {
      current = sec[1];
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const list = sections.get(current) ?? [];
    list.push([line.slice(0, eq).trim(), unquote(line.slice(eq + 1))]);
    sections.set(current, list);
  }
  const req = new Map(sections.get("req") ?? []);
  const subject: [string, string][] = [];
  for (const [k, v] of sections.get(req.get("distinguished_name") ?? "req_dn") ?? []) {
    const name = OPENSSL_NAMES[k.replace(/^\d+\./, "").toUpperCase()];
    if (name && v) subject.push([name, v]);
  }
  return {
    subject,
    bits: Number(req.get("default_bits")) || 2048,
    days: Number(req.get("default_days")) || 365,
  };
}

function parseGnuTls(text: string): CertTemplate {
  const subject: [string, string][] = [];
  let days = 365;
  for (const raw of text.split("\n")) {
    const m = /^\s*([A-Za-z_]+)\s*=\s*(.*?)\s*$/.exec(raw.replace(/#.*$/, ""));
    if (!m) continue;
    if (m[1] === "expiration_days") days = Number(unquote(m[2])) || days;
    const name = GNUTLS_NAMES[m[1]];
    if (name) subject.push([name, unquote(m[2])]);
  }
  return { subject, bits: 3072, days };
}

export function parseCertTemplate(text: string): CertTemplate {
  return /^\s*\[\s*req\s*\]/m.test(text) ? parseOpenSsl(text) : parseGnuTls(text);
}
