// Hovers are Markdown, where lines one newline apart run together into one paragraph.

/** Joins lines so that each stays a line: a hard break (two spaces) ends each non-empty line followed by another. */
export function factLines(lines: readonly string[]): string {
  return lines.map((l, i) => (l && lines[i + 1] ? l + '  ' : l)).join('\n');
}

/** `value` as inline code, or how an empty one reads (an empty code span shows its backticks). */
export function codeOr(value: string, empty: string): string {
  return value ? '`' + value + '`' : empty;
}
