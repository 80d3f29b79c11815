// Public face of the Exim model: load a config (file or Debian conf.d) into an EximConfig,
// and check it (parser findings plus the Exim rule family).
import * as path from 'node:path';
import type { Finding } from '../diagnostic';
import { finding } from '../diagnostic';
import { resolvePath, type SourceHost } from '../host';
import type { CheckOptions } from '../options';
import { range } from '../text';
import { runEximRules } from '../rules/exim';
import type { EximConfig } from './model';
import { confdFiles, isConfd } from './confd';
import { parseExim, type ParsedExim } from './parser';
import { reconstruct } from './reader';

export type { EximConfig } from './model';
export * from './model';
export { parseExpansion, walkExpansion } from './expansion-parser';
export { splitList } from './lists';
export { confdFiles, isConfd } from './confd';
export type { ParsedExim } from './parser';

/**
 * Reads the configuration at `root` — one file (following its `.include`s) or a Debian
 * `conf.d` directory — with macros, conditionals and `-D` overrides resolved as Exim
 * would. Never throws: problems are in `parseFindings`.
 */
export function loadExim(root: string, opts: CheckOptions, host: SourceHost): ParsedExim {
  const abs = resolvePath(root);
  let files = [abs];
  if (host.isDirectory(abs)) {
    const dir = isConfd(abs, host) ? abs : path.join(abs, 'conf.d');
    files = isConfd(dir, host) ? confdFiles(dir, host) : [];
    if (!files.length) {
      const cfg = parseExim(abs, [], opts, host);
      cfg.parseFindings.push(finding('input/unreadable', abs, range(0, 0, 0, 0),
        `${abs} is a directory but not a Debian conf.d (no main/, acl/, router/, transport/ ... parts).`));
      return cfg;
    }
  }
  return parseExim(abs, files, opts, host);
}

export function checkExim(cfg: EximConfig, opts: CheckOptions): Finding[] {
  return [...cfg.parseFindings, ...runEximRules(cfg, opts)];
}

/** Each file's text rebuilt from the reader's pieces; equal to the input when nothing was lost. */
export function reconstructFiles(cfg: ParsedExim): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, pieces] of cfg.pieces) {
    const sf = cfg.files.get(file);
    if (sf) out.set(file, reconstruct(sf, pieces));
  }
  return out;
}
