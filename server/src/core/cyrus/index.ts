// Public face of the Cyrus model: load and check cyrus.conf and imapd.conf.
// The parsers and rules live beside this file and under rules/cyrus, rules/imapd.
import type { Finding } from '../diagnostic';
import type { SourceHost } from '../host';
import type { CheckOptions } from '../options';
import { LineIndex } from '../text';
import type { CyrusConf, ImapdConf, ImapdFacts, LmtpListener } from './model';

export type * from './model';

export function loadCyrusConf(file: string, _opts: CheckOptions, host: SourceHost): CyrusConf {
  const text = host.readFile(file) ?? '';
  return { file, text, lines: new LineIndex(text), sections: [], entries: [], parseFindings: [] };
}
export function checkCyrusConf(_c: CyrusConf, _opts: CheckOptions): Finding[] { return []; }
export function loadImapdConf(file: string, _opts: CheckOptions, host: SourceHost): ImapdConf {
  const text = host.readFile(file) ?? '';
  const lines = new LineIndex(text);
  return { file, text, lines, files: [{ path: file, text, lines }], settings: [], parseFindings: [] };
}
export function checkImapdConf(_c: ImapdConf, _opts: CheckOptions, _cyrus?: CyrusConf): Finding[] { return []; }

/** The lmtpd services of a cyrus.conf, with their endpoints. */
export function lmtpListeners(_conf: CyrusConf): LmtpListener[] { return []; }

/** Effective values of the settings the link checks need, for one service (its prefixed settings win). */
export function imapdFacts(_conf: ImapdConf, _service?: string): ImapdFacts {
  return {
    virtdomains: { value: 'off' }, defaultdomain: { value: undefined }, unixhierarchysep: { value: false },
    lmtpDowncaseRcpt: { value: true }, lmtpsocket: { value: '/var/imap/socket/lmtp' }, configdirectory: { value: undefined },
    servername: { value: undefined }, admins: { value: [] },
  };
}
