// install-configure's merge of a `<file>.dist` into the live `<file>`, as Courier's sysconftool
// does it (spec/config-upgrade.md §3-4): settings are `##NAME: <label>:<revision>` blocks;
// an old value survives when the new .dist has the same label and revision.

export interface Block {
  name: string;
  revision: string;
  /** The whole block, its `##NAME:` line first. */
  lines: string[];
  /** Index (in `lines`) and length of the value: the first run of non-`#` lines after the comments. */
  valueStart: number;
  valueLength: number;
}

export interface ParsedConf {
  /** Up to and including the `##VERSION:` line; undefined when there is none in the first 20 lines. */
  header?: string[];
  version?: string;
  /** Lines between the header and the first `##NAME:` (kept from the .dist). */
  preamble: string[];
  blocks: Block[];
}

const HEADER_LINES = 20;

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

export function parseNameLine(line: string): { name: string; revision: string } {
  const t = line.slice("##NAME:".length).replace(/[ \t]/g, "");
  const colon = t.lastIndexOf(":");
  return colon < 0 ? { name: t, revision: "" } : { name: t.slice(0, colon), revision: t.slice(colon + 1) };
}

export function parseConf(text: string): ParsedConf {
  const lines = splitLines(text);
  const v = lines.slice(0, HEADER_LINES).findIndex((l) => l.startsWith("##VERSION:"));
  const blocks: Block[] = [];
  const preamble: string[] = [];
  let cur: string[] | undefined;
  const close = () => {
    if (!cur) return;
    let i = 1;
    while (i < cur.length && cur[i].startsWith("#")) i++;
    let j = i;
    while (j < cur.length && !cur[j].startsWith("#")) j++;
    blocks.push({ ...parseNameLine(cur[0]), lines: cur, valueStart: i, valueLength: j - i });
  };
  for (const line of lines.slice(v + 1)) {
    if (line.startsWith("##NAME:")) {
      close();
      cur = [line];
    } else if (cur) cur.push(line);
    else preamble.push(line);
  }
  close();
  return v < 0
    ? { preamble, blocks }
    : { header: lines.slice(0, v + 1), version: lines[v], preamble, blocks };
}

export type MergeStatus = "new" | "unchanged" | "UPDATED";

export interface MergeResult {
  text: string;
  report: { name: string; status: MergeStatus }[];
}

/**
 * The new file from `dist` and the old file's text (undefined: none, or a legacy file whose
 * settings are ignored). `distName` appears in the "DEFAULT SETTING from" comments.
 */
export function mergeConf(distText: string, oldText: string | undefined, distName: string): MergeResult {
  const dist = parseConf(distText);
  if (!dist.header) throw new Error(`${distName}: configuration header not found.`);
  const old = oldText === undefined ? undefined : parseConf(oldText);
  const oldBlocks = new Map<string, Block>();
  if (old?.header) for (const b of old.blocks) if (!oldBlocks.has(b.name)) oldBlocks.set(b.name, b);
  const out = [...dist.header, ...dist.preamble];
  const report: MergeResult["report"] = [];
  for (const b of dist.blocks) {
    const o = oldBlocks.get(b.name);
    const before = b.lines.slice(0, b.valueStart);
    const value = b.lines.slice(b.valueStart, b.valueStart + b.valueLength);
    const after = b.lines.slice(b.valueStart + b.valueLength);
    if (!o) {
      report.push({ name: b.name, status: "new" });
      out.push(...b.lines);
    } else if (o.revision === b.revision) {
      report.push({ name: b.name, status: "unchanged" });
      const oldValue = o.lines.slice(o.valueStart, o.valueStart + o.valueLength);
      out.push(
        ...before,
        "#",
        `# DEFAULT SETTING from ${distName}:`,
        ...value.map((l) => `#${l}`),
        ...after,
        ...oldValue,
      );
    } else {
      report.push({ name: b.name, status: "UPDATED" });
      const oldValue = o.lines.slice(o.valueStart, o.valueStart + o.valueLength);
      const previous = [
        "#",
        "# Previous setting (inserted by sysconftool):",
        "#",
        ...oldValue.map((l) => `# ${l}`),
        "#",
      ];
      out.push(...before, ...previous, ...value, ...after);
    }
  }
  return { text: `${out.join("\n")}\n`, report };
}
