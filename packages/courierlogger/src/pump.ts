// courierlogger's log pump: the program's stderr is cut into lines of at most 511 bytes
// (a longer line becomes several messages, each classified on its own), the Courier prefix
// selects the syslog priority and is removed, then leading spaces are skipped. Bytes are
// passed through unchanged. Checked against Debian's courierlogger with a /dev/log socket.

import { type LogSink, PRIORITY } from "./syslog.js";

export const LINE_MAX = 511;

const PREFIXES: [Buffer, number][] = [
  [Buffer.from("ERR:"), PRIORITY.err],
  [Buffer.from("WARN:"), PRIORITY.warning],
  [Buffer.from("ALERT:"), PRIORITY.alert],
  [Buffer.from("CRIT:"), PRIORITY.crit],
  [Buffer.from("DEBUG:"), PRIORITY.debug],
  [Buffer.from("INFO:"), PRIORITY.info],
];

/** Priority and text of one line (without its newline). */
export function classify(line: Buffer): { priority: number; text: Buffer } {
  let priority: number = PRIORITY.info;
  let start = 0;
  for (const [prefix, p] of PREFIXES) {
    if (line.length >= prefix.length && line.subarray(0, prefix.length).equals(prefix)) {
      priority = p;
      start = prefix.length;
      break;
    }
  }
  while (start < line.length && line[start] === 0x20) start++;
  return { priority, text: line.subarray(start) };
}

export class LinePump {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly sink: LogSink) {}

  push(data: Buffer): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, data]) : data;
    for (;;) {
      const nl = buf.indexOf(0x0a);
      if (nl >= 0 && nl <= LINE_MAX) {
        this.emit(buf.subarray(0, nl));
        buf = buf.subarray(nl + 1);
      } else if (buf.length >= LINE_MAX) {
        this.emit(buf.subarray(0, LINE_MAX));
        buf = buf.subarray(LINE_MAX);
      } else break;
    }
    this.pending = Buffer.from(buf);
  }

  /** End of input: a last line without a newline is still logged. */
  end(): void {
    if (this.pending.length) this.emit(this.pending);
    this.pending = Buffer.alloc(0);
  }

  private emit(line: Buffer): void {
    const { priority, text } = classify(line);
    this.sink.write(priority, text);
  }
}

/** A line sink for in-process use (authdaemond): takes text lines, writes them as the pump would. */
export function lineWriter(sink: LogSink): (text: string) => void {
  const pump = new LinePump(sink);
  return (text) => pump.push(Buffer.from(text));
}
