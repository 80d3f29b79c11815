// exim/invalid-value (warning): spamd and clamd servers Exim cannot read, found only when a
// message is scanned. spamd_address and a clamd av_scanner are ":" lists of servers, each a
// socket's absolute path or a host and a port with white space between them (spam.c,
// malware.c). An item without a port is skipped ("invalid spamd address", clamd "missing
// port"), and with none left every spam or malware condition defers ("no useable ... server
// addresses"). The usual slip is host:port, which the ":" cuts into two items, neither a
// server: exim4 -bh never connected to the spamd or clamd listening there. And an
// av_scanner naming no scanner type Exim has (malware.c's table: "clamav" for clamd): every
// malware condition defers ("unknown scanner type", exim4 -bh).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, OptionSetting } from '../../exim/model';
import { splitList } from '../../exim/lists';
import type { CheckOptions } from '../../options';
import { mainSetting, writtenValue } from './instance-options';
import { locOfText } from './lists';
import { didYouMean, nearest, replaceWrittenFix, runTime } from './suggest';
import { isMacroName } from './undefined-macro';

/** The scanner types of malware.c's table. */
const SCANNERS = ['clamd', 'sophie', 'drweb', 'fsecure', 'kavdaemon', 'aveserver', 'f-protd', 'f-prot6d', 'mksd', 'avast', 'sock', 'cmdline'];

/** A server as the scanners read one: a path, or at least a host and a port. */
const isServer = (item: string) => item.startsWith('/') || /^\S+\s+\S+/.test(item);

export function checkScannerAddresses(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const spamd = mainSetting(cfg, 'spamd_address');
  const sv = writtenValue(spamd);
  if (spamd && sv !== undefined) servers(cfg, spamd, sv, 0, 'spamd_address', 'spam', out);
  const av = mainSetting(cfg, 'av_scanner');
  const avv = writtenValue(av);
  const scanner = avv !== undefined ? splitList(avv).items[0]?.text : undefined;
  // Only clamd's servers are read this way; other scanners take other forms.
  if (av && avv !== undefined && scanner === 'clamd') servers(cfg, av, avv, 1, 'av_scanner', 'malware', out);
  // "false", "0", "no" and an empty value switch scanning off.
  if (av?.valueLoc && scanner && !SCANNERS.includes(scanner) && !/^(false|0|no)$/i.test(scanner) && !isMacroName(scanner)) {
    const at = locOfText(cfg, av.valueLoc, scanner);
    const meant = scanner.toLowerCase() === 'clamav' ? 'clamd' : nearest(scanner.toLowerCase(), SCANNERS);
    out.push(finding('exim/invalid-value', at.file, at.range,
      `av_scanner names "${scanner}", no scanner type Exim has (${SCANNERS.join(', ')}): every malware condition defers ("unknown scanner type").${didYouMean(meant)}`,
      runTime(replaceWrittenFix(cfg, at, scanner, meant))));
  }
  return out;
}

function servers(cfg: EximConfig, s: OptionSetting, value: string, from: number, name: string, condition: string, out: Finding[]): void {
  const { items } = splitList(value);
  const list = items.slice(from).map((it) => it.text).filter((t) => t !== '' && !(condition === 'malware' && t.toLowerCase() === 'local'));
  const bad = list.filter((t) => !isServer(t));
  if (!bad.length || !s.valueLoc) return;
  const none = bad.length === list.length;
  const then = none ? `, and with no server left every ${condition} condition defers` : '';
  for (let k = 0; k < list.length; k++) {
    const t = list[k];
    if (isServer(t)) continue;
    const next = list[k + 1];
    // host:port — the port is the next item; both are reported as one.
    if (next !== undefined && /^\d+(-\d+)?$/.test(next) && /^[^\s/]+$/.test(t) && !/^\d+$/.test(t)) {
      const text = `${t}:${next}`;
      const at = locOfText(cfg, s.valueLoc, text);
      const meant = `${t} ${next}`;
      out.push(finding('exim/invalid-value', at.file, at.range,
        `In ${name}, "${text}" is two items to Exim, "${t}" and "${next}", neither a server: ":" separates the servers, so Exim skips both${then}. Put a space between the host and the port: ${meant}.`,
        runTime(replaceWrittenFix(cfg, at, text, meant))));
      k++;
      continue;
    }
    const at = locOfText(cfg, s.valueLoc, t);
    out.push(finding('exim/invalid-value', at.file, at.range,
      `In ${name}, "${t}" is no server: give a socket's absolute path, or a host and a port with a space between them. Exim skips it when it scans${then}.`,
      runTime()));
  }
}
