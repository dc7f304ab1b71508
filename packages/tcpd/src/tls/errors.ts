// A TLS setting an admin got wrong: the message always starts with the variable's name.

export class TlsConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}
