// Public face of the Exim model. The parser/model modules beside this file fill it in.
import type { Finding } from '../diagnostic';
import type { SourceHost } from '../host';
import type { CheckOptions } from '../options';

export interface EximConfig { root: string }

export function loadExim(root: string, _opts: CheckOptions, _host: SourceHost): EximConfig {
  return { root };
}

export function checkExim(_cfg: EximConfig, _opts: CheckOptions): Finding[] {
  return [];
}
