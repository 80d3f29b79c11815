// exim/invalid-value (warning): numbers in options Exim expands and then reads itself, written
// out as something else. queue_run_max and smtp_accept_max_per_connection go through atoi:
// "5x" is 5, and a value starting with no number is 0, which lifts the limit. A transport's
// max_parallel goes through expand_string_integer at each delivery: on "bogus" it logs
// "integer expected" and Exim 4.96 then crashes delivering the message (SIGSEGV, exim4 -odf).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, OptionSetting } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { describe, given, mainSetting } from './instance-options';
import { RUN_TIME } from './suggest';

const ATOI_OPTIONS = ['queue_run_max', 'smtp_accept_max_per_connection'];

/** The literal value of a setting Exim expands, or undefined when it holds an expansion. */
function literal(s: OptionSetting | undefined): string | undefined {
  const v = s?.value;
  return s && !s.negated && v !== undefined && !/[$\\]/.test(v) && s.valueLoc ? v : undefined;
}

export function checkExpandedNumbers(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const name of ATOI_OPTIONS) {
    const s = mainSetting(cfg, name);
    const v = literal(s);
    if (v === undefined || /^\s*\+?\d+\s*$/.test(v) || /^\s*[A-Z][A-Z0-9_]*\s*$/.test(v)) continue;
    const lead = /^\s*([+-]?\d+)/.exec(v);
    const read = lead ? Number(lead[1]) : 0;
    const at = s!.valueLoc!;
    out.push(finding('exim/invalid-value', at.file, at.range,
      `${name} = ${v.trim()} is no plain number: Exim reads it with atoi, which takes ${lead ? `the ${read} it starts with and ignores the rest` : '0 from a value that starts with no number'}${read <= 0 ? ', and 0 or less means no limit at all' : ''}. Write the number alone.`, RUN_TIME));
  }
  for (const t of cfg.transports) {
    const s = given(t, 'max_parallel');
    const v = literal(s);
    if (v === undefined || /^\s*$/.test(v) || /^\s*\+?\d+[kmg]?\s*$/i.test(v) || /^\s*[A-Z][A-Z0-9_]*\s*$/.test(v)) continue;
    const at = s!.valueLoc!;
    out.push(finding('exim/invalid-value', at.file, at.range,
      `In ${describe(t)}, max_parallel = ${v.trim()} is no number Exim can read (a count, optionally with K, M or G): at each delivery through it Exim logs "integer expected" to the panic log, and Exim 4.96 then crashes delivering the message (SIGSEGV). Write the count, or remove the option.`, RUN_TIME));
  }
  return out;
}
