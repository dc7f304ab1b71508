// A tiny worker for the pool tests: reports how it got its connection, echoes one line.
import { Socket } from "node:net";
import { awaitConnection, startedByPool } from "../src/handoff.js";

const pooled = startedByPool();
if (pooled) process.stderr.write(`ready ${process.pid}\n`);
const sock = pooled ? await awaitConnection() : new Socket({ fd: 0, readable: true, writable: true });
sock.write(
  `pooled=${pooled ? 1 : 0} pid=${process.pid} ip=${process.env.TCPREMOTEIP} local=${process.env.TCPLOCALPORT}\n`,
);
sock.once("data", (d) => {
  sock.end(`got ${d.toString().trim()}\n`);
});
sock.on("close", () => process.exit(0));
