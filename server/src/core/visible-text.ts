// Kept apart from diagnostic.ts (which reads the rules table) so the language server's
// start-up bundle can use it without the checker.

/** Control characters a message may quote from the user's text (line breaks aside). */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');
const ESCAPES: Record<string, string> = { '\0': '\\0', '\t': '\\t', '\r': '\\r' };

/**
 * A message as it is shown: messages quote names and values as written, and a CR or NUL in
 * one would not show (`no router driver "accept<CR>"` would read as `"accept"`), so control
 * characters are written as escapes. The shells apply it where they write a message out,
 * not finding(): there it read every message as the rules made it, and the check of the
 * bench's 20k-line config took a third longer, for characters almost no config has.
 */
export function visibleText(message: string): string {
  if (!CONTROL.test(message)) return message;
  return message.replace(CONTROLS, (c) => ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
