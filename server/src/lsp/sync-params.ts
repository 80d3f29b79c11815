// The document sync notifications, checked before the document manager sees them: a
// malformed one (a client bug, a fuzzer) is dropped with one clear log line, instead of
// an exception and its stack from deep in the manager, or text that is not text reaching
// the checker.
import type { Connection } from 'vscode-languageserver/node';

type Check = { method: string; ok: (p: any) => boolean; shape: string };

const isUri = (p: any) => typeof p?.textDocument?.uri === 'string';
const isPos = (p: any) => Number.isInteger(p?.line) && Number.isInteger(p?.character);
const isChange = (c: any) => typeof c?.text === 'string' && (c.range === undefined || (isPos(c.range?.start) && isPos(c.range?.end)));

const CHECKS: Record<string, Check> = {
  onDidOpenTextDocument: {
    method: 'textDocument/didOpen',
    ok: (p) => isUri(p) && typeof p.textDocument.languageId === 'string' && Number.isInteger(p.textDocument.version) && typeof p.textDocument.text === 'string',
    shape: '{ textDocument: { uri, languageId, version, text } }',
  },
  onDidChangeTextDocument: {
    method: 'textDocument/didChange',
    ok: (p) => isUri(p) && Number.isInteger(p.textDocument.version) && Array.isArray(p.contentChanges) && p.contentChanges.every(isChange),
    shape: '{ textDocument: { uri, version }, contentChanges: [{ range?, text }] }',
  },
  onDidCloseTextDocument: { method: 'textDocument/didClose', ok: isUri, shape: '{ textDocument: { uri } }' },
  onDidSaveTextDocument: { method: 'textDocument/didSave', ok: isUri, shape: '{ textDocument: { uri } }' },
  onWillSaveTextDocument: { method: 'textDocument/willSave', ok: isUri, shape: '{ textDocument: { uri }, reason }' },
  onWillSaveTextDocumentWaitUntil: { method: 'textDocument/willSaveWaitUntil', ok: isUri, shape: '{ textDocument: { uri }, reason }' },
};

/** The connection as the document manager should listen to it: each sync handler runs only on well-formed params. */
export function checkedSync(connection: Connection, log: (m: string) => void): Connection {
  return new Proxy(connection, {
    get(target, prop, receiver) {
      const check = typeof prop === 'string' ? CHECKS[prop] : undefined;
      const value = Reflect.get(target, prop, receiver);
      if (!check || typeof value !== 'function') return value;
      return (handler: (p: unknown, ...rest: unknown[]) => unknown) => value.call(target, (p: unknown, ...rest: unknown[]) => {
        if (check.ok(p)) return handler(p, ...rest);
        log(`ignored ${check.method}: its params are not ${check.shape}`);
        return check.method === 'textDocument/willSaveWaitUntil' ? [] : undefined;
      });
    },
  });
}
