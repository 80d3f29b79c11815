import * as path from 'node:path';
import type { Finding } from './diagnostic';
import { finding, sortFindings } from './diagnostic';
import type { SourceHost } from './host';
import { diskHost } from './host';
import type { CheckOptions } from './options';
import { defaultOptions } from './options';
import { range } from './text';
import { checkExim, loadExim } from './exim';
import { checkCyrusConf, checkImapdConf, loadCyrusConf, loadImapdConf } from './cyrus';
import { checkLinks } from './rules/link';

export type FileKind = 'exim' | 'cyrus-conf' | 'imapd-conf';

export interface Input { path: string; kind: FileKind }

const EXIM_NAMES = new Set(['exim.conf', 'exim4.conf', 'exim4.conf.template', 'configure']);

/**
 * Recognises a file by its name, then by its content. A directory is an Exim config when
 * it is (or holds) a Debian split `conf.d`.
 */
export function classifyPath(p: string, host: SourceHost = diskHost): FileKind | undefined {
  const base = path.basename(p);
  if (host.isDirectory(p)) {
    const entries = host.readDir(p) ?? [];
    if (base === 'conf.d' || entries.includes('main') && entries.includes('router')) return 'exim';
    if (entries.includes('conf.d')) return 'exim';
    return undefined;
  }
  if (EXIM_NAMES.has(base) || base.endsWith('.exim')) return 'exim';
  if (base === 'cyrus.conf' || base.endsWith('.cyrus.conf')) return 'cyrus-conf';
  if (base === 'imapd.conf' || base.endsWith('.imapd.conf')) return 'imapd-conf';
  const text = host.readFile(p);
  return text === undefined ? undefined : classifyText(text);
}

export function classifyText(text: string): FileKind | undefined {
  const head = text.slice(0, 64 * 1024);
  if (/^\s*(SERVICES|START|EVENTS|DAEMON)\s*\{/m.test(head)) return 'cyrus-conf';
  if (/^\s*begin\s+(acl|routers|transports|authenticators|retry|rewrite)\b/m.test(head)
    || /^\s*(domainlist|hostlist|addresslist|localpartlist)\s+\w+\s*=/m.test(head)) return 'exim';
  if (/^\s*(configdirectory|partition-\w+|sasl_\w+|virtdomains|admins|lmtpsocket)\s*:/m.test(head)) return 'imapd-conf';
  return undefined;
}

/** Expands directories: a directory that holds `conf.d` stands for that `conf.d`. */
function normalise(input: Input, host: SourceHost): Input {
  if (input.kind === 'exim' && host.isDirectory(input.path) && path.basename(input.path) !== 'conf.d'
    && (host.readDir(input.path) ?? []).includes('conf.d')) {
    return { ...input, path: path.join(input.path, 'conf.d') };
  }
  return input;
}

/**
 * Checks every input. Each Exim config is checked on its own; the Cyrus files given in the
 * same call are what the link checks pair each Exim config with.
 */
export function checkProject(inputs: Input[], opts: CheckOptions = defaultOptions, host: SourceHost = diskHost): Finding[] {
  const out: Finding[] = [];
  const exims = [], cyruses = [], imapds = [];
  for (const raw of inputs) {
    const input = normalise(raw, host);
    if (!host.isDirectory(input.path) && host.readFile(input.path) === undefined) {
      out.push(finding('input/unreadable', input.path, range(0, 0, 0, 0), `Cannot read ${input.path}: no such file, not a regular file, or too large.`));
      continue;
    }
    if (input.kind === 'exim') exims.push(loadExim(input.path, opts, host));
    else if (input.kind === 'cyrus-conf') cyruses.push(loadCyrusConf(input.path, opts, host));
    else imapds.push(loadImapdConf(input.path, opts, host));
  }
  for (const e of exims) out.push(...checkExim(e, opts));
  for (const c of cyruses) out.push(...checkCyrusConf(c, opts));
  // The cyrus.conf tells which service prefixes (`lmtp_admins`, …) are real services.
  for (const i of imapds) out.push(...checkImapdConf(i, opts, cyruses[0]));
  // Link rules that need a Cyrus file skip themselves without one; the rest need only Exim.
  for (const e of exims) out.push(...checkLinks({ exim: e, cyrus: cyruses[0], imapd: imapds[0], host }, opts));
  return sortFindings(out);
}
