import type { Phase, Session } from "../session/session.js";

/** `args` is the rest of the line after the command word and one space or tab. */
export type Handler = (s: Session, args: string) => Promise<void>;

export interface CommandSpec {
  phases: readonly Phase[];
  load: () => Promise<Record<string, Handler>>;
  /** The export of the loaded module that runs this command. */
  name: string;
}

/** Whitespace-separated arguments. */
export function words(args: string): string[] {
  return args.split(/[ \t]+/).filter(Boolean);
}
