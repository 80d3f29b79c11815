/** What the user targets. Findings depend on it (an option newer than the target is an error). */
export type EximVersion = 'latest' | '4.96';
export type CyrusVersion = 'latest' | '3.6';

export interface CheckOptions {
  eximVersion: EximVersion;
  cyrusVersion: CyrusVersion;
  /** `-D NAME=VALUE` overrides, as given to exim on the command line. */
  defines: Record<string, string>;
  /**
   * The macros update-exim4.conf writes into Debian's config from update-exim4.conf.conf.
   * They are the file's own definitions, not -D ones: the config may redefine one with
   * `==`, and Exim refuses a plain `NAME =` of one. A `-D` of the same name wins.
   */
  debianDefines?: Record<string, string>;
}

export const defaultOptions: CheckOptions = { eximVersion: 'latest', cyrusVersion: 'latest', defines: {} };
