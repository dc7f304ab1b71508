// A command fails by throwing one of these; the loop turns it into the tagged reply.

export class CommandFailure extends Error {
  constructor(
    readonly status: "NO" | "BAD",
    message: string,
  ) {
    super(message);
  }
}

/** Tagged BAD: the command or its arguments are not valid IMAP. */
export class BadCommand extends CommandFailure {
  constructor(message: string) {
    super("BAD", message);
  }
}

/** Tagged NO: a valid command that could not be carried out. */
export class CommandRefused extends CommandFailure {
  constructor(message: string) {
    super("NO", message);
  }
}
