// cyrus/missing-argument: master refuses to start when an entry has no (or an empty) `cmd`,
// or a service has no `listen`. An event with no schedule runs only once, at start-up.
import { finding, type Finding } from '../../diagnostic';
import type { CheckOptions } from '../../options';
import type { CyrusConf, CyrusEntry } from '../../cyrus/model';
import { firstArg } from '../../cyrus/entry';

const has = (e: CyrusEntry, n: string) => (firstArg(e.args, n)?.value ?? '') !== '';

export function checkMissingArgument(conf: CyrusConf, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const e of conf.entries) {
    if (e.truncated) continue; // cyrus/syntax already stops master on this line
    const noCmd = !has(e, 'cmd'), noListen = e.section === 'SERVICES' && !has(e, 'listen');
    if (noCmd || noListen) {
      const missing = noCmd && noListen ? ['cmd', 'listen'] : noCmd ? ['cmd'] : ['listen'];
      const what = missing.map((m) => `${m}=`).join(' and ');
      out.push(finding('cyrus/missing-argument', conf.file, e.nameLoc.range,
        `'${e.name}' has no ${what}: master refuses to start ("unable to find command or port"). Add ${missing.map((m) => m === 'cmd' ? 'cmd="PROGRAM ARGS"' : 'listen="PORT", "HOST:PORT" or "/path/to/socket"').join(' and ')}.`));
    }
    // With cron on 3.6, cyrus/unknown-argument already says the event has no schedule.
    if (e.section === 'EVENTS' && !noCmd && !has(e, 'period') && !has(e, 'at') && !has(e, 'cron')) {
      out.push(finding('cyrus/missing-argument', conf.file, e.nameLoc.range,
        `Event '${e.name}' has no schedule, so master runs it only once, at start-up. Add period=MINUTES or at=HHMM${opts.cyrusVersion === 'latest' ? ' (or cron="M H DOM MON DOW")' : ''}.`,
        { severity: 'warning' }));
    }
  }
  return out;
}
