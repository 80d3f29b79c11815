// exim/invalid-value (warning): log_file_path with two file paths. Exim loads it, logs only to
// the first, and writes "More than one path given in log_file_path: using ..." to the panic
// log each time it starts (exim4 -bV exits 0). An empty item is the default path, so
// "/a/%slog : :" is two paths too; "syslog" items are no path. The list has ":" between its
// items and no other separator (as log.c reads it; logFilePath in main-values.ts alike).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig } from '../../exim/model';
import { splitList } from '../../exim/lists';
import type { CheckOptions } from '../../options';
import { mainSetting, writtenValue } from './instance-options';
import { locOfText } from './lists';

export function checkLogFilePath(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const s = mainSetting(cfg, 'log_file_path');
  const v = writtenValue(s);
  if (!s?.valueLoc || v === undefined) return [];
  const paths = splitList(v, { sep: ':', literal: true }).items.filter((it) => it.text !== 'syslog');
  if (paths.length < 2) return [];
  const named = (t: string) => t ? `"${t}"` : 'the default path (an empty item)';
  const at = paths[1].text ? locOfText(cfg, s.valueLoc, paths[1].text) : s.valueLoc;
  return [finding('exim/invalid-value', at.file, at.range,
    `log_file_path gives more than one log file path (${paths.map((p) => named(p.text)).join(', ')}): Exim logs only to the first, ${named(paths[0].text)}, and complains in the panic log every time it starts ("More than one path given in log_file_path"). Keep one path (and "syslog" beside it to log there as well).`,
    { severity: 'warning' })];
}
