// exim/invalid-value on an smtp transport's `port`: values Exim loads without a word and then
// gets wrong at every delivery (core/exim/port.ts says how it reads them). A value with
// characters after its digits defers every address ("invalid port number for t transport:
// 25x"); 0 is refused by every host; a number above 65535 and one with a leading 0 connect
// to another port than the one written. A service name missing from /etc/services is the
// link rules' (they read the machine's file); an expansion is left alone.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import { readPortOption } from '../../exim/port';
import type { CheckOptions } from '../../options';
import { describe, given } from './instance-options';
import { RUN_TIME } from './suggest';

export function checkTransportPort(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const t of cfg.transports) {
    if (t.driver?.trim() !== 'smtp') continue;
    const s = given(t, 'port');
    const text = s?.value?.trim();
    const at = s?.valueLoc;
    if (!s || s.negated || !text || !at || text.includes('$') || text.includes('\\')) continue;
    const p = readPortOption(text);
    const where = `In ${describe(t)}, port = ${text}`;
    if (p.kind === 'invalid') {
      const why = /^0\d/.test(text) ? ': a leading 0 makes it an octal number, where 8 and 9 are no digits' : '';
      out.push(finding('exim/invalid-value', at.file, at.range,
        `${where} is no port number as Exim reads it${why}. Exim defers every address delivered through it ("invalid port number for ${t.name} transport: ${text}"). Give the port as a decimal number (or a service name /etc/services defines).`, RUN_TIME));
    } else if (p.kind === 'number' && p.port === 0) {
      out.push(finding('exim/invalid-value', at.file, at.range,
        `${where} is port 0${p.written !== 0n ? ` (Exim keeps only the low 16 bits of ${p.written})` : ''}, which no host listens on: every delivery through it is deferred ("Connection refused"). Give the port the hosts listen on.`, RUN_TIME));
    } else if (p.kind === 'number' && p.written > 65535n) {
      out.push(finding('exim/invalid-value', at.file, at.range,
        `${where} is above 65535, the highest TCP port: Exim keeps only its low 16 bits and connects to port ${p.port}. Give the port the hosts listen on.`, RUN_TIME));
    } else if (p.kind === 'number' && p.octal) {
      const decimal = text.replace(/^0+/, '');
      out.push(finding('exim/invalid-value', at.file, at.range,
        `${where}: Exim reads a number with a leading 0 as octal, so this connects to port ${p.port}${/^[1-9]\d*$/.test(decimal) ? `, not ${decimal}` : ''}. Write the port in decimal.`,
        { ...RUN_TIME, ...(/^[1-9]\d*$/.test(decimal) ? { fixes: [{ title: `Write port ${decimal} (drop the leading zeros)`, edits: [{ file: at.file, range: at.range, newText: decimal }] }] } : {}) }));
    }
  }
  return out;
}
