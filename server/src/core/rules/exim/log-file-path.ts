// exim/invalid-value (warning): log_file_path with two file paths. Exim loads it, logs only to
// the first, and writes "More than one path given in log_file_path: using ..." to the panic
// log each time it starts (exim4 -bV exits 0). An empty item is the default path, so
// "/a/%slog : :" is two paths too; "syslog" items are no path. The list has ":" between its
// items and no other separator (as log.c reads it; logFilePath in main-values.ts alike).
// And a relative first path: log.c opens it as it stands, from whatever directory Exim runs
// in, cannot open the main log, and Exim gives up (exim4 -odf and -bdf: "Cannot open main log
// file", nothing accepted, no daemon; -bV exits 0).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import { splitList } from '../../exim/lists';
import type { CheckOptions } from '../../options';
import { mainSetting, writtenValue } from './instance-options';
import { locOfText } from './lists';
import { judgedRelative } from './absolute-paths';

export function checkLogFilePath(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const s = mainSetting(cfg, 'log_file_path');
  const v = writtenValue(s);
  if (!s?.valueLoc || v === undefined) return [];
  const paths = splitList(v, { sep: ':', literal: true }).items.filter((it) => it.text !== 'syslog');
  const out: Finding[] = [];
  const first = paths[0]?.text;
  if (first && judgedRelative(first)) {
    const at = locOfText(cfg, s.valueLoc, first);
    out.push(finding('exim/invalid-value', at.file, at.range,
      `log_file_path "${first}" is not an absolute path: Exim opens its logs relative to whatever directory it runs in, cannot open the main log there ("Cannot open main log file"), and gives up: no message is taken and the daemon does not start. exim -bV does not see it. Write the whole path, starting with "/".`,
      { severity: 'warning' }));
  }
  if (paths.length < 2) return out;
  const named = (t: string) => t ? `"${t}"` : 'the default path (an empty item)';
  const at = paths[1].text ? locOfText(cfg, s.valueLoc, paths[1].text) : s.valueLoc;
  out.push(finding('exim/invalid-value', at.file, at.range,
    `log_file_path gives more than one log file path (${paths.map((p) => named(p.text)).join(', ')}): Exim logs only to the first, ${named(paths[0].text)}, and complains in the panic log every time it starts ("More than one path given in log_file_path"). Keep one path (and "syslog" beside it to log there as well).`,
    { severity: 'warning' }));
  return out;
}
