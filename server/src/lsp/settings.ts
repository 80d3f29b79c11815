// Settings as the server sees them. Workspace-scoped settings come from
// workspace/configuration; the Exim binary path never does: only the client's
// machine-scoped value (initializationOptions or eximCyrus/machineSettings) is trusted,
// so a checked-out repository cannot make the server run a program of its choosing.
import type { CheckOptions } from '../core/options';
import type { FolderSettings } from '../core/features/workspace';

export type ValidateMode = 'onType' | 'onSave';

export interface MachineSettings {
  eximPath?: string;
  /** False when the workspace is untrusted: then no external program runs. */
  trusted: boolean;
}

export interface ServerSettings extends FolderSettings {
  validate: ValidateMode;
  /** `recipients`: what a callout started from a code lens asks about (no client can be asked for text). */
  callout: { timeout: number; from: string; lhlo: string; recipients: string[] };
}

export const DEFAULT_SETTINGS: ServerSettings = {
  options: { eximVersion: 'latest', cyrusVersion: 'latest', defines: {} },
  validate: 'onType',
  callout: { timeout: 10, from: '', lhlo: '', recipients: [] },
};

const str = (v: unknown): string | undefined => typeof v === 'string' ? v : undefined;

/** Reads the `eximCyrus` section defensively: a wrong type falls back to the default. */
export function parseSettings(raw: unknown): ServerSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
  const defines: Record<string, string> = {};
  if (r.defines && typeof r.defines === 'object' && !Array.isArray(r.defines)) {
    for (const [k, v] of Object.entries(r.defines)) if (/^[A-Za-z_]\w*$/.test(k) && (typeof v === 'string' || typeof v === 'number')) defines[k] = String(v);
  }
  const options: CheckOptions = {
    eximVersion: r.eximVersion === '4.96' ? '4.96' : 'latest',
    cyrusVersion: r.cyrusVersion === '3.6' ? '3.6' : 'latest',
    defines,
  };
  const c = (r.callout && typeof r.callout === 'object' ? r.callout : {}) as Record<string, unknown>;
  const timeout = typeof c.timeout === 'number' && c.timeout > 0 && c.timeout <= 300 ? c.timeout : 10;
  return {
    options,
    eximConfig: str(r.eximConfig) || undefined,
    cyrusConfig: str(r.cyrusConfig) || undefined,
    imapdConfig: str(r.imapdConfig) || undefined,
    validate: r.validate === 'onSave' ? 'onSave' : 'onType',
    callout: {
      timeout, from: str(c.from) ?? '', lhlo: str(c.lhlo) ?? '',
      recipients: Array.isArray(c.recipients) ? c.recipients.filter((x): x is string => typeof x === 'string' && !!x.trim()).map((x) => x.trim()).slice(0, 100) : [],
    },
  };
}

export function parseMachineSettings(raw: unknown, prev: MachineSettings = { trusted: false }): MachineSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return {
    eximPath: 'eximPath' in r ? (str(r.eximPath) || undefined) : prev.eximPath,
    trusted: typeof r.trusted === 'boolean' ? r.trusted : prev.trusted,
  };
}

/**
 * `initializationOptions.calloutCommand`: a command of the client's own that code lenses
 * run instead of the server's `eximCyrus.calloutReport` (VS Code's asks for recipients in
 * an input box). Anything but a plain command name is ignored.
 */
export function parseCalloutCommand(raw: unknown): string | undefined {
  const v = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).calloutCommand : undefined;
  return typeof v === 'string' && /^[\w.-]{1,100}$/.test(v) ? v : undefined;
}
