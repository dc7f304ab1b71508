// A minimal POP3 client for tests: sends the commands one by one after the greeting and
// each reply (multi-line replies up to their "."), returns everything the server sent.

import { connect } from "node:net";

const MULTI = /^(LIST|UIDL|CAPA|LANG)$|^(RETR|TOP) /i;

export function pop3Session(port: number, commands: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, "127.0.0.1");
    let out = "";
    let pending = "";
    let next = 0;
    let multi = false;
    const send = () => {
      if (next >= commands.length) return;
      const c = commands[next++];
      multi = MULTI.test(c);
      sock.write(`${c}\r\n`);
    };
    sock.on("data", (d) => {
      out += d.toString("latin1");
      pending += d.toString("latin1");
      for (;;) {
        const end =
          multi && pending.startsWith("+OK") ? pending.indexOf("\r\n.\r\n") : pending.indexOf("\r\n");
        if (end < 0) return;
        pending = pending.slice(end + (multi && pending.startsWith("+OK") ? 5 : 2));
        multi = false;
        send();
      }
    });
    sock.on("error", reject);
    sock.on("close", () => resolve(out));
  });
}
