// String expansions: the parser's syntax errors, and item/operator/condition/variable
// names Exim does not know (or the target version lacks).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { AclItem, EximConfig, OptionSetting } from '../../exim/model';
import type { ExpansionNode } from '../../exim/expansion';
import type { CheckOptions } from '../../options';
import {
  availableIn, eximLookupType, expansionCondition, expansionItem, expansionNames, expansionOperator, expansionVariable,
  lookupTypes, operatorArgProblem, versionNote, type ExpansionKind, type ExpansionNameInfo,
} from '../../catalog/exim';
import { didYouMean, namesOnce, nearest, replaceFix, runTime, RUN_TIME } from './suggest';

type Lookup = (name: string) => ExpansionNameInfo | undefined;
const LOOKUPS: Record<Exclude<ExpansionKind, 'variable'>, Lookup> = {
  item: expansionItem, operator: expansionOperator, condition: expansionCondition,
};

/** Calls `f` on every node, depth first, without a generator per level. */
export function forEachNode(nodes: readonly ExpansionNode[], f: (n: ExpansionNode) => void): void {
  for (const n of nodes) {
    f(n);
    if (n.kind === 'item' || n.kind === 'condition') for (const a of n.args) forEachNode(a, f);
    else if (n.kind === 'operator') forEachNode(n.arg, f);
  }
}

/** The file an option's or ACL item's value is in. */
export function fileOfValue(holder: OptionSetting | AclItem): string {
  return (holder.valueLoc ?? ('loc' in holder ? holder.loc : holder.nameLoc)).file;
}

/**
 * Calls `f` with every expansion tree of the config and the option or ACL item it is the
 * value of (whose file fileOfValue finds: the model places a value only when asked, so a
 * rule asks only for a finding). Each tree is parsed as it is reached (the model does not
 * keep them), so only one is alive at a time.
 */
export function forEachExpansion(cfg: EximConfig, f: (holder: OptionSetting | AclItem, nodes: ExpansionNode[]) => void): void {
  const fromSettings = (list: OptionSetting[]) => {
    for (const s of list) {
      const nodes = s.expansion;
      if (nodes) f(s, nodes);
    }
  };
  fromSettings(cfg.main);
  for (const list of [cfg.routers, cfg.transports, cfg.authenticators]) for (const inst of list) fromSettings(inst.options);
  for (const a of cfg.acls) for (const st of a.statements) for (const it of st.items) {
    const nodes = it.expansion;
    if (nodes) f(it, nodes);
  }
}

export function checkExpansions(cfg: EximConfig, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  const v = opts.eximVersion;
  forEachExpansion(cfg, (holder, nodes) => {
    let where: string | undefined;
    const file = () => where ??= fileOfValue(holder);
    forEachNode(nodes, (n) => {
      if (n.kind === 'error') {
        // Nesting past the parser's bound is not a syntax error: it only crashes Exim when very deep.
        if (n.deep === 'crash') out.push(finding('exim/expansion-syntax', file(), n.range, n.message, RUN_TIME));
        else if (n.deep) out.push(finding('exim/expansion-syntax', file(), n.range, n.message, { severity: 'hint' }));
        else out.push(finding('exim/expansion-syntax', file(), n.range, `${n.message} Exim fails when it expands this value.`, RUN_TIME));
        return;
      }
      if (n.kind === 'item' || n.kind === 'operator' || n.kind === 'condition') {
        const info = LOOKUPS[n.kind](n.name);
        if (!info) {
          const guess = nearest(n.name, namesOnce(`expansion ${n.kind}`, v, () => expansionNames(n.kind, v).map((x) => x.name)));
          const form = n.kind === 'item' ? `\${${n.name}{...}}` : n.kind === 'operator' ? `\${${n.name}:...}` : `${n.name} (in \${if ...})`;
          out.push(finding('exim/expansion-syntax', file(), n.nameRange, `Unknown expansion ${n.kind} "${n.name}" in ${form}.${didYouMean(guess)}`,
            runTime(guess ? replaceFix({ file: file(), range: n.nameRange }, guess) : undefined)));
        } else if (!availableIn(info, v)) {
          out.push(finding('exim/expansion-syntax', file(), n.nameRange,
            v === '4.96' ? `The expansion ${n.kind} "${n.name}" is not in Exim 4.96 (${versionNote(info)}).`
              : `The expansion ${n.kind} "${n.name}" was ${versionNote(info)}; current Exim does not know it.`,
            RUN_TIME));
        }
        const argProblem = n.kind === 'operator' && info ? operatorArgProblem(n.name) : undefined;
        if (argProblem) out.push(finding('exim/expansion-syntax', file(), n.nameRange, argProblem, RUN_TIME));
        if (n.kind === 'item' && n.name === 'lookup' && n.options) {
          // The words between the braces: the lookup type first, then e.g. `fail`.
          const type = n.options.trim().split(/\s+/)[0];
          if (type && !type.includes('$') && !eximLookupType(type)) {
            const guess = nearest(type.replace(/^partial\d*-/, '').replace(/,.*$/, ''), namesOnce('lookup', v, () => lookupTypes(v).map((x) => x.name)));
            out.push(finding('exim/expansion-syntax', file(), n.optionRange ?? n.nameRange, `Unknown lookup type "${type}".${didYouMean(guess)}`, RUN_TIME));
          }
        }
        return;
      }
      if (n.kind === 'variable') {
        const info = expansionVariable(n.name);
        if (!info) {
          const guess = nearest(n.name, namesOnce('expansion variable', v, () => expansionNames('variable', v).map((x) => x.name)));
          out.push(finding('exim/unknown-variable', file(), n.nameRange, `Exim has no variable "$${n.name}"; expanding it fails.${didYouMean(guess && '$' + guess)}`,
            guess ? { fixes: replaceFix({ file: file(), range: n.nameRange }, guess, n.name.length) } : {}));
        } else if (!availableIn(info, v)) {
          out.push(finding('exim/unknown-variable', file(), n.nameRange,
            v === '4.96' ? `The variable "$${n.name}" is not in Exim 4.96 (${versionNote(info)}).` : `The variable "$${n.name}" was ${versionNote(info)}.`));
        }
      }
    });
  });
  return out;
}
