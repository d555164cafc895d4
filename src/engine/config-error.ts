/**
 * The configuration file is invalid; each problem names the offending key.
 * Apart from config.ts (which loads zod) so that a caller can recognise the
 * failure without loading the schema: the CLI starts its engine worker first.
 */
export class ConfigError extends Error {
  constructor(
    readonly problems: readonly string[],
    readonly source: string,
  ) {
    super(`${source} is invalid: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}
