// What makes two findings the same, for saying each once (the CLI over several configs, the
// editor over the configs that read one file). A module of its own, with no catalog behind
// it: the language server's start-up bundle uses it without loading the rules.
import type { Finding } from './diagnostic';

/** Two findings with the same key (sameFinding says so without making it) say the same thing at the same place (related notes and fixes aside). */
export function findingKey(f: Finding): string {
  const r = f.range;
  return `${f.file}\0${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}\0${f.severity}\0${f.code}\0${f.source ?? ''}\0${f.message}`;
}

/** Whether two findings of one file have one key (without making it). */
export function sameFinding(a: Finding, b: Finding): boolean {
  return a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character
    && a.range.end.line === b.range.end.line && a.range.end.character === b.range.end.character
    && a.code === b.code && a.severity === b.severity && (a.source ?? '') === (b.source ?? '') && a.message === b.message;
}
