// Getopt::Long-style options as Courier's Perl converters take them: `--name=value`,
// `--name value`, or a single dash; flags take no value.

export class OptionError extends Error {}

export function parseLongOptions(
  argv: string[],
  valued: readonly string[],
  flags: readonly string[],
): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--?([a-z]+)(?:=(.*))?$/s.exec(argv[i]);
    if (!m) throw new OptionError(`unexpected argument ${argv[i]}`);
    const [, name, inline] = m;
    if (flags.includes(name) && inline === undefined) out.set(name, true);
    else if (valued.includes(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new OptionError(`option ${name} requires an argument`);
      out.set(name, v);
    } else throw new OptionError(`unknown option: ${name}`);
  }
  return out;
}
