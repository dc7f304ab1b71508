/** A config problem an admin can fix: names the file, the line and (when known) the variable. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly variable: string | undefined,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${variable ? `${variable}: ` : ""}${problem}`);
    this.name = "ConfigError";
  }
}
