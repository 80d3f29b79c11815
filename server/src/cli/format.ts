// Turns findings into the three output formats of `exim-cyrus check`. Lines and columns
// on the wire are 1-based (what editors and CI annotations expect); the core's are 0-based.
import * as path from 'node:path';
import type { Finding, Severity } from '../core/diagnostic';
import { visibleText } from '../core/visible-text';
import { RULES, type RuleCode } from '../core/rules/codes';

export type Format = 'text' | 'json' | 'sarif';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];

/** A finding as printed: 1-based positions, `file` as the user should see it. */
export interface WireDiagnostic {
  file: string; line: number; column: number; endLine: number; endColumn: number;
  severity: Severity; code: RuleCode; message: string;
  /** Other lines the finding involves, often in the other file (absent when none). */
  related?: { file: string; line: number; column: number; endLine: number; endColumn: number; message: string }[];
}

export function toWire(f: Finding, display: (file: string) => string): WireDiagnostic {
  return {
    file: display(f.file),
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    severity: f.severity,
    code: f.code,
    message: visibleText(f.message),
    ...(f.related?.length ? {
      related: f.related.map((r) => ({
        file: display(r.file), line: r.range.start.line + 1, column: r.range.start.character + 1,
        endLine: r.range.end.line + 1, endColumn: r.range.end.character + 1, message: visibleText(r.message),
      })),
    } : {}),
  };
}

/** The README documents these fields; `related` was added (optional) without a version change. */
export function formatJson(list: WireDiagnostic[]): string {
  return JSON.stringify({ version: 1, diagnostics: list }, null, 2) + '\n';
}

const COLOURS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', information: '\x1b[36m', hint: '\x1b[2m' };

export function formatText(list: WireDiagnostic[], opts: { colour: boolean; files: number }): string {
  const c = (code: string, s: string) => opts.colour ? `${code}${s}\x1b[0m` : s;
  const out = list.flatMap((d) => [
    `${c('\x1b[1m', `${d.file}:${d.line}:${d.column}:`)} ${c(COLOURS[d.severity], d.severity + ':')} ${d.message} ${c('\x1b[2m', `[${d.code}]`)}`,
    ...(d.related ?? []).map((r) => `  ${c('\x1b[2m', `${r.file}:${r.line}:${r.column}: ${r.message}`)}`),
  ]);
  out.push(summary(list, opts.files));
  return out.join('\n') + '\n';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summary(list: WireDiagnostic[], files: number): string {
  const count = (s: Severity) => list.filter((d) => d.severity === s).length;
  const checked = `${plural(files, 'config')} checked`;
  if (!list.length) return `${checked}: no problems found.`;
  const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning')];
  const info = count('information') + count('hint');
  if (info) parts.push(`${info} note${info === 1 ? '' : 's'}`);
  return `${checked}: ${parts.join(', ')}.`;
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** SARIF 2.1.0: one run, every rule of the RULES table, results pointing at regions. */
export function formatSarif(list: WireDiagnostic[], toolVersion: string): string {
  const ids = Object.keys(RULES) as RuleCode[];
  const index = new Map(ids.map((id, i) => [id, i]));
  const uri = (file: string) => {
    const p = file.split(path.sep).join('/');
    return encodeURI(p).replace(/[?#]/g, encodeURIComponent);
  };
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'exim-cyrus',
          version: toolVersion,
          informationUri: 'https://example.invalid/exim-cyrus',
          rules: ids.map((id) => ({
            id,
            shortDescription: { text: RULES[id].summary },
            defaultConfiguration: { level: SARIF_LEVEL[RULES[id].severity] },
          })),
        },
      },
      // Columns are the core's, UTF-16 code units (as LSP counts): said, not left to a default.
      columnKind: 'utf16CodeUnits',
      results: list.map((d) => ({
        ruleId: d.code,
        ruleIndex: index.get(d.code),
        level: SARIF_LEVEL[d.severity],
        message: { text: d.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: uri(d.file) },
            region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
          },
        }],
        ...(d.related ? {
          relatedLocations: d.related.map((r, id) => ({
            id,
            message: { text: r.message },
            physicalLocation: { artifactLocation: { uri: uri(r.file) }, region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn } },
          })),
        } : {}),
      })),
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
