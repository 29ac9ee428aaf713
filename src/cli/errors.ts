/** The command line was wrong (unknown option, missing argument, bad value): exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The command was understood but could not do its job (queue missing, body invalid, ...): exit code 1. */
export class CliFailure extends Error {
  override name = 'CliFailure';
}
