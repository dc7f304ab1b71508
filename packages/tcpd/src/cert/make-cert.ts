// A self-signed server certificate from a template, as one PEM (key, then certificate).

import { generate } from "selfsigned";
import type { CertTemplate } from "./cnf.js";

const escapeRdn = (v: string) => v.replace(/([,+"\\<>;=])/g, "\\$1");

export async function makeSelfSigned(t: CertTemplate, now = new Date()): Promise<string> {
  const cn = t.subject.find(([k]) => k === "CN")?.[1] ?? "localhost";
  const pems = await generate(
    t.subject.map(([shortName, value]) => ({ shortName, value: escapeRdn(value) })),
    {
      keySize: t.bits,
      algorithm: "sha256",
      notBeforeDate: now,
      notAfterDate: new Date(now.getTime() + t.days * 86_400_000),
      extensions: [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
        // nsCertType = server in Courier's imapd.cnf
        { name: "extKeyUsage", serverAuth: true },
        { name: "subjectAltName", altNames: [{ type: 2, value: cn }] },
      ],
    },
  );
  return `${pems.private.trim()}\n${pems.cert.trim()}\n`;
}
