// link/cyrus-router-affix-required: every router that delivers to Cyrus requires a local
// part prefix or suffix (local_part_suffix without local_part_suffix_optional, or the same
// for a prefix), so an address without one (plain alice@example.com, most mail) is declined
// by each and never reaches Cyrus: the later routers bounce it or the RCPT ACL refuses it
// (a later router that certainly takes those domains means it is meant to go there).
// Found live: with `local_part_suffix = +*` alone, delivery to alice@example.com ends in
// "Unknown user"; with local_part_suffix_optional it reaches lmtpd.
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import type { DriverInstance } from '../../exim/model';
import type { LinkContext } from './context';
import { boolOption, option, value } from './context';
import { fix, insertOptionLine } from './edits';
import { cyrusRouters, routerDomains, routerTakes } from './routing';

/** The affix option a router requires (set, not expanded, its `_optional` off), if any. */
function requiredAffix(r: DriverInstance): 'local_part_suffix' | 'local_part_prefix' | undefined {
  for (const name of ['local_part_suffix', 'local_part_prefix'] as const) {
    const v = value(r, name)?.trim();
    if (v && !v.includes('$') && boolOption(r, `${name}_optional`, false) === false) return name;
  }
  return undefined;
}

export function checkAffixRequired(ctx: LinkContext): Finding[] {
  const routers = [...new Set(cyrusRouters(ctx).map((c) => c.router))];
  // Another router to Cyrus that takes plain addresses settles it.
  if (!routers.length || routers.some((r) => !requiredAffix(r))) return [];
  // So does a later router that certainly takes the Cyrus domains' plain addresses (a
  // catch-all meant for them); one that may (an alias file, a local user) is named as such.
  const all = ctx.cfg.routers ?? [];
  const last = Math.max(...routers.map((r) => all.indexOf(r)));
  const domains = routers.flatMap((r) => routerDomains(ctx, r) ?? []);
  if (!domains.length || routers.some((r) => routerDomains(ctx, r) === undefined)) return [];
  const later = all.slice(last + 1).flatMap((r) => domains.map((d) => routerTakes(ctx, r, d)));
  if (later.includes('yes')) return [];
  const some = later.includes('unknown') ? ' (unless a later router takes that address, as it may for an alias or a local user)' : '';
  return routers.map((r) => {
    const name = requiredAffix(r)!;
    const o = option(r, name)!;
    const at = o.valueLoc ?? o.nameLoc;
    const what = name === 'local_part_suffix' ? 'suffix' : 'prefix';
    return finding('link/cyrus-router-affix-required', at.file, at.range,
      `Router ${r.name} takes only addresses with a local part ${what} (${name} = ${o.value!.trim()}, and no ${name}_optional), and no router takes addresses without one to Cyrus: mail for a plain address such as user@domain is declined here, so the later routers bounce it ("Unknown user") or the RCPT ACL refuses it${some}. Add ${name}_optional so addresses without the ${what} reach Cyrus too.`,
      { fixes: [fix(`Add ${name}_optional to router ${r.name}`, [insertOptionLine(ctx, r, `${name}_optional`, o)], true)] });
  });
}
