// cyrus/invalid-value: values master cannot use. Master never complains about these: a
// number it cannot read silently becomes the default, an unknown proto or an unresolvable
// listen disables the service, and it says so only in syslog. The same for flags in `cmd` that
// make a service exit at every start, and a `-C` file that is not there.
import { finding, type Finding } from '../../diagnostic';
import type { CheckOptions } from '../../options';
import type { CyrusConf } from '../../cyrus/model';
import { cyrusConfArgTable } from '../../catalog/cyrus';
import { masterIntEnd, parseSwitch } from '../../cyrus/values';
import { firstArg } from '../../cyrus/entry';

export function checkInvalidValue(conf: CyrusConf, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const bad = (r: Finding['range'], msg: string, warning = false) =>
    out.push(finding('cyrus/invalid-value', conf.file, r, msg, warning ? { severity: 'warning' } : {}));
  for (const e of conf.entries) {
    const known = cyrusConfArgTable(e.section, opts.cyrusVersion);
    for (const a of e.args) {
      const info = known.get(a.name);
      if (!info || firstArg(e.args, a.name) !== a) continue; // master reads only the first of a name
      if (info.type === 'integer') {
        const end = masterIntEnd(a.value), n = end < 0 ? NaN : parseInt(a.value, 10);
        if (a.name === 'maxchild') {
          // Master reads maxchild with atoi, unlike the other numbers: no number is 0, and a
          // TCP service allowed 0 processes never starts one (connections just wait).
          const m = parseInt(a.value, 10) || 0;
          if (m === 0 && !e.proto.startsWith('udp')) {
            bad(a.valueLoc.range, `maxchild=${a.value} ${/^-?\d+$/.test(a.value) ? 'allows no process' : 'is read by master as 0'}: this service never starts one, so every connection waits for nothing. Write the most processes to run (-1, or leave it out, for no limit).`);
          } else if (!/^\s*[+-]?\d+\s*$/.test(a.value)) bad(a.valueLoc.range, `maxchild=${a.value}: master reads it as ${m}. Write a whole number.`);
          continue;
        }
        if (end < 0) bad(a.valueLoc.range, `${a.name}=${a.value} is not a number: master ignores it and uses ${info.default}. Write a whole number.`);
        else if (end !== a.value.length) bad(a.valueLoc.range, `${a.name}=${a.value}: master reads only the leading number ${n} and ignores '${a.value.slice(String(n).length)}'.${a.name === 'period' ? ' period is in minutes.' : ''}`);
        else if (a.name === 'at') {
          // A negative at is master's own default: no time of day, the event runs by period.
          const hh = Math.floor(n / 100), mm = n % 100;
          if (n >= 0 && (hh > 23 || mm > 59)) {
            bad(a.valueLoc.range, opts.cyrusVersion === '3.6'
              ? `at=${a.value} is not a time of day (HHMM, 0000–2359): Cyrus 3.6 ignores it and runs the event by period instead.`
              : `at=${a.value} is not a time of day (HHMM, 0000–2359): master refuses to start.`);
          }
        } else if (n < 0 && a.name === 'prefork') {
          // Master keeps that many processes ready: fewer than none is none (found live: lmtpd
          // with prefork=-1 served as with 0).
          bad(a.valueLoc.range, `prefork=${a.value} is negative: master keeps no process ready, as with prefork=0. Write 0, or the number of processes to keep ready.`, true);
        } else if (n < 0) bad(a.valueLoc.range, `${a.name}=${a.value} must not be negative.`);
      } else if (info.type === 'switch') {
        if (parseSwitch(a.value) === undefined) bad(a.valueLoc.range, `${a.name}=${a.value} is not a switch: master ignores it. Write true or false (or yes/no, on/off, 1/0).`);
      } else if (a.name === 'proto') {
        if (!info.allowed.includes(a.value)) bad(a.valueLoc.range, `proto=${a.value} is not one of ${info.allowed.join(', ')}: master disables this service.`);
      } else if (a.name === 'cron') {
        const fields = a.value.trim().split(/\s+/).filter(Boolean);
        if (fields.length !== 5 || !fields.every((f) => /^[0-9A-Za-z*,/-]+$/.test(f))) {
          bad(a.valueLoc.range, `cron="${a.value}" is not a cron schedule: give five fields, minute hour day-of-month month day-of-week (e.g. "30 4 * * *").`);
        }
      }
    }
    const c = e.cmd;
    if (c && e.section === 'SERVICES') {
      for (const f of c.flagProblems) {
        const msg = f.kind === 'grouped'
          ? `Master's service wrapper refuses the option word '${f.word}' ("options and arguments MUST be separated by whitespace"): ${c.tool} exits at every connection. Write each flag and each argument as a word of its own${/^-[CUT]./.test(f.word) ? ` (${f.word.slice(0, 2)} ${f.word.slice(2)})` : ''}.`
          : `${c.tool} takes no ${f.word}${f.word === '-s' ? ' (it has no TLS on connect; LMTP from Exim is plain or STARTTLS)' : ''}: it prints its usage and exits at every connection, so this service never answers. ${c.tool} takes -a, besides master's -C FILE, -U N, -T N, -D and -X.`;
        bad(f.loc.range, msg);
      }
    }
    if (c?.configUnreadable && c.configLoc) {
      bad(c.configLoc.range, `${c.tool} reads its settings from ${c.configFile} (-C), which does not exist or cannot be read here. If it is missing on the mail server too, ${c.tool} exits at once whenever it starts.`, true);
    }
    if (e.listenProblem) {
      const l = firstArg(e.args, 'listen');
      if (l) bad(l.valueLoc.range, e.listenProblem.message, e.listenProblem.warning);
    }
    if (e.listen?.kind === 'unix' && e.proto !== 'tcp' && !e.proto.startsWith('udp')) {
      const p = firstArg(e.args, 'proto');
      if (p) bad(p.valueLoc.range, `With a UNIX socket master makes a stream socket only for proto=tcp; proto=${e.proto} gives a datagram socket that ${e.cmd?.tool ?? 'the service'} cannot serve. Use proto=tcp (or drop proto).`);
    }
  }
  return out;
}
