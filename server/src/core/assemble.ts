// What update-exim4.conf(8) makes of Debian's exim4.conf.template or conf.d, so the real
// `exim -bV` can be run on the config Debian would run, and its error traced back to the
// file and line the user wrote. Exim's -C takes one file; a conf.d is many, and the template
// alone lacks exim4.conf.localmacros and the macros the script writes from
// update-exim4.conf.conf (checking it without them reports errors that are not there).
//
// As the script does: the parts are concatenated (each conf.d part followed by the script's
// `echo`), comment lines are dropped, and the macro definitions are written after every
// `UPEX4CmacrosUPEX4C` line, each inside `.ifndef NAME` … `.endif`. Texts are taken as the
// host gives them: a host that reads files as latin1 keeps every byte as it is.
import * as path from 'node:path';
import type { SourceHost } from './host';
import { eximSourceOf } from './project';
import { confdFiles, isConfd } from './exim/confd';

/** A line of the assembled text that came from a file (0-based line). */
export interface LineOrigin { file: string; line: number }

export interface AssembledConfig {
  text: string;
  /** Per line of `text`: where it came from; undefined for the lines the script adds. */
  origins: (LineOrigin | undefined)[];
  /** The files it was made from, in order. */
  files: string[];
}

const PLACEHOLDER = /^UPEX4CmacrosUPEX4C/;
const COMMENT = /^[ \t]*#/;

/**
 * The config update-exim4.conf would write for `p` (a conf.d, an exim4.conf.template, or a
 * Debian /etc/exim4-like directory holding one), or undefined when `p` is an ordinary config
 * that Exim reads as it is.
 */
export function assembleDebianConfig(p: string, host: SourceHost): AssembledConfig | undefined {
  const source = eximSourceOf(p, host);
  const base = path.basename(source.root);
  let files: string[];
  let split: boolean;
  if (base === 'conf.d' && host.isDirectory(source.root) && isConfd(source.root, host)) {
    files = confdFiles(source.root, host);
    split = true;
  } else if (base === 'exim4.conf.template' && !host.isDirectory(source.root)) {
    files = [...source.prelude, source.root];
    split = false;
  } else {
    return undefined;
  }
  const macros: string[] = [];
  const defines = Object.entries(source.defines ?? {});
  if (defines.length) {
    macros.push('##############################################', '# the following macro definitions were created', '# dynamically by update-exim4.conf');
    for (const [name, value] of defines) macros.push(`.ifndef ${name}`, `${name}=${value}`, '.endif');
    macros.push('##############################################');
  }

  const lines: string[] = [];
  const origins: (LineOrigin | undefined)[] = [];
  const add = (text: string, origin: LineOrigin | undefined) => {
    if (COMMENT.test(text)) return;
    lines.push(text);
    origins.push(origin);
    if (PLACEHOLDER.test(text)) for (const m of macros) { lines.push(m); origins.push(undefined); }
  };
  // `cat` runs the files together: a file without a final line break continues on the
  // next one's first line (the line keeps the first file's origin).
  let open: { text: string; origin: LineOrigin } | undefined;
  for (const file of files) {
    const text = host.readFile(file) ?? '';
    const parts = text.split('\n');
    const ended = parts[parts.length - 1] === '';
    if (ended) parts.pop();
    parts.forEach((t, i) => {
      const line = open && i === 0 ? { text: open.text + t, origin: open.origin } : { text: t, origin: { file, line: i } };
      open = undefined;
      if (i === parts.length - 1 && !ended) open = line;
      else add(line.text, line.origin);
    });
    // Each conf.d part is followed by `echo`: it ends a last line left open, else adds an empty one.
    if (split) {
      if (open) { add(open.text, open.origin); open = undefined; } else add('', undefined);
    }
  }
  if (open) add(open.text, open.origin);
  return { text: lines.join('\n') + '\n', origins, files };
}
