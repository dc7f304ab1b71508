// A tiny DNS responder for the -block/-allow tests: UDP on a free loopback port, answers A and
// TXT questions from a table, NXDOMAIN for names not in it, and never answers names under a
// "silent" zone (to test timeouts).

import { createSocket, type Socket } from "node:dgram";

export interface DnsRecords {
  a?: string[];
  txt?: string[];
}

export interface DnsServer {
  /** "127.0.0.1:PORT", for COURIERTCPD_DNS_SERVER. */
  address: string;
  /** Every question received, as "name TYPE". */
  queries: string[];
  close: () => Promise<void>;
}

const TYPE_A = 1;
const TYPE_TXT = 16;

function readName(msg: Buffer, start: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = start;
  while (msg[i] !== 0) {
    const len = msg[i];
    labels.push(msg.subarray(i + 1, i + 1 + len).toString("latin1"));
    i += 1 + len;
  }
  return { name: labels.join(".").toLowerCase(), end: i + 1 };
}

function answer(type: number, rdata: Buffer): Buffer {
  const rr = Buffer.alloc(12);
  rr.writeUInt16BE(0xc00c, 0); // the question's name
  rr.writeUInt16BE(type, 2);
  rr.writeUInt16BE(1, 4); // IN
  rr.writeUInt32BE(60, 6);
  rr.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([rr, rdata]);
}

function reply(msg: Buffer, table: Map<string, DnsRecords>): Buffer {
  const { name, end } = readName(msg, 12);
  const qtype = msg.readUInt16BE(end);
  const question = msg.subarray(12, end + 4);
  const rec = table.get(name);
  const answers: Buffer[] = [];
  if (rec && qtype === TYPE_A)
    for (const a of rec.a ?? []) answers.push(answer(TYPE_A, Buffer.from(a.split(".").map(Number))));
  if (rec && qtype === TYPE_TXT)
    for (const t of rec.txt ?? []) {
      const s = Buffer.from(t);
      answers.push(answer(TYPE_TXT, Buffer.concat([Buffer.from([s.length]), s])));
    }
  const header = Buffer.alloc(12);
  header.writeUInt16BE(msg.readUInt16BE(0), 0);
  header.writeUInt16BE(0x8180 | (rec ? 0 : 3), 2); // response, RD, RA; NXDOMAIN when unknown
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, question, ...answers]);
}

export async function startDnsServer(
  records: Record<string, DnsRecords>,
  silentZones: string[] = [],
): Promise<DnsServer> {
  const table = new Map(Object.entries(records).map(([k, v]) => [k.toLowerCase(), v]));
  const sock: Socket = createSocket("udp4");
  const queries: string[] = [];
  sock.on("message", (msg, rinfo) => {
    try {
      const { name, end } = readName(msg, 12);
      const qtype = msg.readUInt16BE(end);
      queries.push(`${name} ${qtype === TYPE_A ? "A" : qtype === TYPE_TXT ? "TXT" : qtype}`);
      if (silentZones.some((z) => name === z || name.endsWith(`.${z}`))) return;
      sock.send(reply(msg, table), rinfo.port, rinfo.address);
    } catch {
      // a malformed question gets no answer
    }
  });
  await new Promise<void>((resolve) => sock.bind(0, "127.0.0.1", resolve));
  return {
    address: `127.0.0.1:${sock.address().port}`,
    queries,
    close: () => new Promise((r) => sock.close(() => r())),
  };
}
