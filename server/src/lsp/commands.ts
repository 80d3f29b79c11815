// workspace/executeCommand: the LMTP callout and what the client needs to offer it.
import type { Connection } from 'vscode-languageserver/node';
import { ResponseError, ErrorCodes, MessageType } from 'vscode-languageserver/node';
import type { ConfigWorkspace } from '../core/features/workspace';
import { loadCallout, loadChecker } from './core';
import type { UriMap } from './convert';
import type { MachineSettings, ServerSettings } from './settings';

export interface CommandContext {
  connection: Connection;
  /** Getter: the workspace comes into being with the checker (lsp/core.ts). */
  ws: () => ConfigWorkspace;
  uris: UriMap;
  settingsFor: (file: string) => ServerSettings;
  machine: () => MachineSettings;
  log: (m: string) => void;
}

interface CalloutArgs { confirmed?: unknown; target?: unknown; recipients?: unknown; from?: unknown; lhlo?: unknown; uri?: unknown; timeout?: unknown; random?: unknown }

export function registerCommands(c: CommandContext): void {
  const { connection, ws, uris } = c;

  connection.onExecuteCommand(async (params, token, workDone) => {
    const args = Array.isArray(params?.arguments) ? params.arguments : [];
    try {
      switch (params?.command) {
        case 'eximCyrus.calloutTargets': {
          const uri = typeof args[0] === 'string' ? args[0] : (args[0] as { uri?: unknown })?.uri;
          return loadChecker().calloutTargets(ws(), typeof uri === 'string' ? uris.pathOf(uri) : undefined);
        }
        case 'eximCyrus.pairing': {
          const uri = typeof args[0] === 'string' ? args[0] : undefined;
          if (!uri) throw new ResponseError(ErrorCodes.InvalidParams, 'eximCyrus.pairing needs a document URI');
          const p = ws().pairingFor(uris.pathOf(uri));
          return { exim: p.exim && uris.uriOf(p.exim), cyrus: p.cyrus && uris.uriOf(p.cyrus), imapd: p.imapd && uris.uriOf(p.imapd) };
        }
        case 'eximCyrus.callout': return await runCallout(c, (args[0] ?? {}) as CalloutArgs, token, workDone);
        case 'eximCyrus.calloutReport': return await calloutReport(c, (args[0] ?? {}) as CalloutArgs, token, workDone);
        default: throw new ResponseError(ErrorCodes.MethodNotFound, `Unknown command ${String(params?.command)}`);
      }
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      c.log(`command ${params?.command} failed: ${(e as Error)?.stack ?? e}`);
      throw new ResponseError(ErrorCodes.InternalError, `${params?.command} failed: ${(e as Error)?.message ?? e}`);
    }
  });
}

type Token = Parameters<typeof runCallout>[2];
type WorkDone = Parameters<typeof runCallout>[3];

/**
 * A callout from a code lens, for any client: the recipients come from the arguments or the
 * `callout.recipients` setting, an untrusted workspace is asked with window/showMessageRequest,
 * and the outcome is shown with window/showMessage (the transcript goes to the log).
 */
async function calloutReport(c: CommandContext, a: CalloutArgs, token: Token, workDone: WorkDone) {
  const { connection } = c;
  // A notification, not showMessageRequest: nothing to answer, so nothing to wait for.
  const notify = (type: MessageType, message: string) => void connection.sendNotification('window/showMessage', { type, message });
  const target = typeof a.target === 'string' ? a.target : '';
  const given = Array.isArray(a.recipients) ? a.recipients.filter((r) => typeof r === 'string' && r.trim()) : [];
  const recipients = given.length ? given : c.settingsFor(typeof a.uri === 'string' ? c.uris.pathOf(a.uri) : '').callout.recipients;
  if (!recipients.length) {
    notify(MessageType.Warning, `LMTP callout to ${target || '?'}: no recipients. Set eximCyrus.callout.recipients (e.g. ["postmaster@example.com"]), or run eximCyrus.callout with { target, recipients }.`);
    return null;
  }
  let confirmed = a.confirmed === true;
  if (!c.machine().trusted && !confirmed) {
    const go = { title: 'Connect' };
    const answer = await connection.window.showWarningMessage(`This workspace is not trusted, and ${target} comes from its files. Run an LMTP callout to it?`, go, { title: 'Cancel' });
    if (answer?.title !== go.title) return null;
    confirmed = true;
  }
  let result: Awaited<ReturnType<typeof runCallout>>;
  try {
    result = await runCallout(c, { ...a, recipients, confirmed }, token, workDone);
  } catch (e) {
    notify(MessageType.Error, `LMTP callout to ${target || '?'} failed: ${(e as Error)?.message ?? e}`);
    return null;
  }
  c.log(`--- LMTP callout to ${result.target}`);
  for (const t of result.transcript ?? []) c.log(`${String(t.ms).padStart(6)} ms ${t.dir}: ${t.line}`);
  for (const r of result.recipients ?? []) c.log(`${r.address}: ${r.status}${r.code ? ` (${r.code})` : ''}${r.reply ? ` ${r.reply}` : ''}`);
  const o = result.outcome;
  const type = o.kind === 'accepted' ? MessageType.Info : o.kind === 'temporary' ? MessageType.Warning : MessageType.Error;
  const who = result.recipients.map((r) => `${r.address} ${r.status}`).join(', ');
  notify(type, `LMTP callout to ${result.target} ${o.kind}: ${o.message}${who ? ` (${who})` : ''}${o.hint ? ` — ${o.hint}` : ''}`);
  return result;
}

async function runCallout(c: CommandContext, a: CalloutArgs, token: { isCancellationRequested: boolean; onCancellationRequested: (f: () => void) => unknown },
  workDone: { begin: (title: string, pct?: number, msg?: string, cancellable?: boolean) => void; report: (msg: string) => void; done: () => void }) {
  if (typeof a.target !== 'string' || !a.target.trim()) throw new ResponseError(ErrorCodes.InvalidParams, 'eximCyrus.callout needs { target: "host:port" or "/socket/path", recipients: [...] }');
  // In an untrusted workspace the target may come from a hostile config: the user must have said yes.
  if (!c.machine().trusted && a.confirmed !== true) throw new ResponseError(ErrorCodes.InvalidRequest, 'This workspace is not trusted: confirm the callout first (pass confirmed: true after asking the user).');
  const { callout, parseTarget, recipientError } = loadCallout();
  const parsed = parseTarget(a.target, 24);
  if (!parsed.ok) throw new ResponseError(ErrorCodes.InvalidParams, parsed.error);
  const recipients = Array.isArray(a.recipients) ? a.recipients.filter((r): r is string => typeof r === 'string' && !!r.trim()).map((r) => r.trim()) : [];
  if (!recipients.length) throw new ResponseError(ErrorCodes.InvalidParams, 'eximCyrus.callout needs at least one recipient address');
  for (const r of recipients) {
    const err = recipientError(r);
    if (err) throw new ResponseError(ErrorCodes.InvalidParams, `${r}: ${err}`);
  }
  const s = c.settingsFor(typeof a.uri === 'string' ? c.uris.pathOf(a.uri) : '');
  const timeoutS = typeof a.timeout === 'number' && a.timeout > 0 ? Math.min(a.timeout, 300) : s.callout.timeout;
  const abort = new AbortController();
  token.onCancellationRequested(() => abort.abort());
  workDone.begin('LMTP callout', undefined, `connecting to ${a.target}`, true);
  try {
    return await callout({
      target: parsed.target,
      recipients,
      from: typeof a.from === 'string' ? a.from : s.callout.from || undefined,
      lhloName: typeof a.lhlo === 'string' && a.lhlo ? a.lhlo : s.callout.lhlo || undefined,
      random: a.random === true,
      timeoutMs: Math.max(1000, Math.floor((timeoutS * 1000) / 4)),
      sessionTimeoutMs: timeoutS * 1000,
      signal: abort.signal,
    });
  } finally {
    workDone.done();
  }
}
