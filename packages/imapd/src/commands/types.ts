import type { ParsedCommand } from "../parser/tokens.js";
import type { Session } from "../session/session.js";
import type { Phase } from "../session/state.js";

/** Runs one command; writes its untagged and tagged replies or throws a CommandFailure. */
export type CommandHandler = (session: Session, cmd: ParsedCommand) => Promise<void>;

export interface CommandSpec {
  /** Phases in which the command is valid. */
  phases: readonly Phase[];
  /** Loads the handler's module on first use, so the worker starts with only what it needs. */
  load: () => Promise<{ run: CommandHandler }>;
}
