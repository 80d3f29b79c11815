// What makes two findings the same, for saying each once (the CLI over several configs, the
// editor over the configs that read one file). A module of its own, with no catalog behind
// it: the language server's start-up bundle uses it without loading the rules.
import type { Finding } from './diagnostic';

/** Two findings with the same key say the same thing at the same place (related notes and fixes aside). */
export function findingKey(f: Finding): string {
  const r = f.range;
  return `${f.file}\0${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}\0${f.severity}\0${f.code}\0${f.source ?? ''}\0${f.message}`;
}
