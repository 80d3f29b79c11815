// exim/invalid-value (warning): numbers in options Exim expands and then reads itself, written
// out as something else. queue_run_max and smtp_accept_max_per_connection go through atoi:
// "5x" is 5, and a value starting with no number is 0, which lifts the limit. A transport's
// max_parallel goes through expand_string_integer at each delivery: on "bogus" it logs
// "integer expected" and Exim 4.96 then crashes delivering the message (SIGSEGV, exim4 -odf).
// appendfile's quota, quota_filecount, quota_warn_threshold, mailbox_size and
// mailbox_filecount are read with strtod and one of K, M or G (quota_warn_threshold may end in
// "%", quota and quota_filecount in "/no_check"): "50MB" defers every delivery ("Malformed
// value", exim4 -odf).
// message_size_limit is read the same way: in the main section for each SMTP connection, so
// "50MB" makes Exim answer every one "421 Temporary local problem" (exim4 -bh: "invalid
// message_size_limit"), and in a transport at each delivery, which defers.
import type { Finding, Fix } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { EximConfig, Loc } from '../../exim/model';
import type { CheckOptions } from '../../options';
import { describe, given, mainSetting, writtenValue } from './instance-options';
import { RUN_TIME, runTime } from './suggest';
import { isMacroName } from './undefined-macro';

const ATOI_OPTIONS = ['queue_run_max', 'smtp_accept_max_per_connection'];

/** The fix that writes `meant` over the value at `at`, when there is one to write. */
function writeFix(at: Loc, meant: string | undefined): Fix[] | undefined {
  return meant ? [{ title: `Write ${meant}`, edits: [{ file: at.file, range: at.range, newText: meant }] }] : undefined;
}

/**
 * What expand_string_integer refuses in a written-out size: anything but digits with one of
 * K, M or G straight after them (and white space around); `meant` when the fix is plain
 * ("50MB", "10 M" mean 50M and 10M).
 */
function unreadableSize(v: string | undefined): { text: string; meant?: string } | undefined {
  if (v === undefined || /^\s*$/.test(v) || /^\s*\+?\d+[kmg]?\s*$/i.test(v) || isMacroName(v)) return undefined;
  const m = /^\s*(\d+)\s*([kmg])(?:i?b)?\s*$/i.exec(v);
  return { text: v.trim(), ...m ? { meant: `${m[1]}${m[2].toUpperCase()}` } : {} };
}

const QUOTA_OPTIONS = ['quota', 'quota_filecount', 'quota_warn_threshold', 'mailbox_size', 'mailbox_filecount'];

/** Whether appendfile reads a quota-like value: strtod, then K, M or G (or %), then /no_check, then white space. */
function quotaReadable(name: string, v: string): boolean {
  const number = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(v);
  if (!number) return /^\s*$/.test(v);
  let rest = v.slice(number[0].length);
  if (/^[kmg]/i.test(rest) || (name === 'quota_warn_threshold' && rest.startsWith('%'))) rest = rest.slice(1);
  if ((name === 'quota' || name === 'quota_filecount') && rest.startsWith('/no_check')) rest = rest.slice(9);
  return /^\s*$/.test(rest);
}

export function checkExpandedNumbers(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const name of ATOI_OPTIONS) {
    const s = mainSetting(cfg, name);
    const v = writtenValue(s);
    if (v === undefined || /^\s*\+?\d+\s*$/.test(v) || isMacroName(v)) continue;
    const lead = /^\s*([+-]?\d+)/.exec(v);
    const read = lead ? Number(lead[1]) : 0;
    const at = s!.valueLoc!;
    out.push(finding('exim/invalid-value', at.file, at.range,
      `${name} = ${v.trim()} is no plain number: Exim reads it with atoi, which takes ${lead ? `the ${read} it starts with and ignores the rest` : '0 from a value that starts with no number'}${read <= 0 ? ', and 0 or less means no limit at all' : ''}. Write the number alone.`, RUN_TIME));
  }
  const size = mainSetting(cfg, 'message_size_limit');
  const sizeProblem = unreadableSize(writtenValue(size));
  if (sizeProblem) {
    const at = size!.valueLoc!;
    out.push(finding('exim/invalid-value', at.file, at.range,
      `message_size_limit = ${sizeProblem.text} is no size Exim can read (a number, with K, M or G right after it): Exim answers every SMTP connection "421 Temporary local problem" ("invalid message_size_limit"), and exim -bV does not see it. ${sizeProblem.meant ? `Write ${sizeProblem.meant}.` : 'Write a number of bytes, or one with K, M or G.'}`,
      runTime(writeFix(at, sizeProblem.meant))));
  }
  for (const t of cfg.transports) {
    const ts = given(t, 'message_size_limit');
    const tp = unreadableSize(writtenValue(ts));
    if (tp) {
      const at = ts!.valueLoc!;
      out.push(finding('exim/invalid-value', at.file, at.range,
        `In ${describe(t)}, message_size_limit = ${tp.text} is no size Exim can read (a number, with K, M or G right after it): every delivery through it defers ("invalid message_size_limit"). ${tp.meant ? `Write ${tp.meant}.` : 'Write a number of bytes, or one with K, M or G.'}`,
        runTime(writeFix(at, tp.meant))));
    }
  }
  for (const t of cfg.transports) {
    if (t.driver?.trim() !== 'appendfile') continue;
    for (const name of QUOTA_OPTIONS) {
      const qs = given(t, name);
      const v = writtenValue(qs);
      if (v === undefined || isMacroName(v) || quotaReadable(name, v)) continue;
      const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg])(?:i?b)?\s*$/i.exec(v);
      const meant = m ? `${m[1]}${m[2].toUpperCase()}` : undefined;
      const at = qs!.valueLoc!;
      out.push(finding('exim/invalid-value', at.file, at.range,
        `In ${describe(t)}, ${name} = ${v.trim()} is no value Exim can read (a number, with K, M or G right after it${name === 'quota_warn_threshold' ? ', or a percentage such as 80%' : ''}): every delivery through it defers ("Malformed value"). ${meant ? `Write ${meant}.` : 'Write a number.'}`,
        runTime(writeFix(at, meant))));
    }
  }
  for (const t of cfg.transports) {
    const s = given(t, 'max_parallel');
    const v = writtenValue(s);
    if (v === undefined || /^\s*$/.test(v) || /^\s*\+?\d+[kmg]?\s*$/i.test(v) || isMacroName(v)) continue;
    const at = s!.valueLoc!;
    out.push(finding('exim/invalid-value', at.file, at.range,
      `In ${describe(t)}, max_parallel = ${v.trim()} is no number Exim can read (a count, optionally with K, M or G): at each delivery through it Exim logs "integer expected" to the panic log, and Exim 4.96 then crashes delivering the message (SIGSEGV). Write the count, or remove the option.`, RUN_TIME));
  }
  return out;
}
