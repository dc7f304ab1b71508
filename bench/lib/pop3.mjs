// A minimal POP3 client: CRLF replies, multi-line replies ending at "\r\n.\r\n".

import { connect } from "node:net";

export function pop3Client(port, host = "127.0.0.1") {
  const sock = connect(Number(port), host);
  sock.setNoDelay(true);
  let buf = Buffer.alloc(0);
  let waiter;
  let error;
  sock.on("data", (d) => {
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    waiter?.();
  });
  sock.on("error", (e) => {
    error = e;
    waiter?.();
  });
  const take = async (multi) => {
    for (;;) {
      if (error) throw error;
      const eol = buf.indexOf("\r\n");
      if (eol >= 0) {
        const ok = buf[0] === 0x2b;
        const end = multi && ok ? buf.indexOf("\r\n.\r\n", eol - 2) : eol;
        if (end >= 0) {
          const n = end + (multi && ok ? 5 : 2);
          const r = buf.subarray(0, n);
          buf = buf.subarray(n);
          if (!ok) throw new Error(`server said: ${r.toString().trim()}`);
          return r;
        }
      }
      await new Promise((r) => {
        waiter = r;
      });
    }
  };
  const cmd = (line, multi = false) => {
    sock.write(`${line}\r\n`);
    return take(multi);
  };
  return { take, cmd, close: () => sock.destroy() };
}
