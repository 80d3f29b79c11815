// When to run the real Exim: on save, when the client gave a binary path (machine
// setting) and the workspace is trusted. Results for an older save are dropped.
import * as path from 'node:path';
import type { ConfigWorkspace } from '../core/features/workspace';
import type { DiagnosticsPublisher } from './diagnostics';
import type { MachineSettings } from './settings';
import { runEximCheck } from './exim-check';

export class ExternalCheck {
  private readonly generation = new Map<string, number>();

  constructor(
    /** Getter: the workspace comes into being with the checker (lsp/core.ts). */
    private readonly ws: () => ConfigWorkspace,
    private readonly publisher: DiagnosticsPublisher,
    private readonly machine: () => MachineSettings,
    private readonly log: (m: string) => void,
  ) {}

  async onSave(file: string): Promise<void> {
    const m = this.machine();
    if (!m.eximPath || !m.trusted || this.ws().kindOf(file) !== 'exim') return;
    const root = path.resolve(this.ws().pairingFor(file).exim ?? file);
    // exim -C takes one file; a Debian conf.d is assembled by update-exim4.conf first.
    if (this.ws().host.isDirectory(root)) return;
    const gen = (this.generation.get(root) ?? 0) + 1;
    this.generation.set(root, gen);
    const run = await runEximCheck(m.eximPath, root);
    if (this.generation.get(root) !== gen) return;
    if (run.failed) this.log(run.failed);
    const touched = new Set<string>([root, ...(this.publisher.external.get(root)?.findings ?? []).map((f) => path.resolve(f.file))]);
    const texts = new Map<string, string | undefined>();
    for (const f of run.findings) {
      const file = path.resolve(f.file);
      touched.add(file);
      if (!texts.has(file)) texts.set(file, this.ws().host.diskText(file));
    }
    this.publisher.external.set(root, { findings: run.findings, texts });
    for (const f of touched) this.publisher.republish(f);
  }
}
