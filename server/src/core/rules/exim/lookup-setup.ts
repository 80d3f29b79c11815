// Query-style lookups that cannot run as the config sets them up, whatever they look up
// (each seen with exim4 -be): mysql, pgsql (and redis) with no servers to ask (the main option
// mysql_servers or pgsql_servers unset, no ",servers=" on the lookup, no "servers=" at
// the start of the query: "no MySQL servers defined"), and sqlite with no database file
// (no sqlite_dbfile, no ",file=", no file name starting the query: "absolute file name
// expected for "sqlite" lookup"). Each lookup defers.
import type { EximConfig } from '../../exim/model';
import { mainValue } from './instance-options';

const SERVERS: Record<string, { option: string; product: string }> = {
  mysql: { option: 'mysql_servers', product: 'MySQL' },
  pgsql: { option: 'pgsql_servers', product: 'PostgreSQL' },
  // Not in Debian's build; the same code (lf_sqlperform) where it is.
  redis: { option: 'redis_servers', product: 'Redis' },
};

/**
 * Why a lookup of `base` type, with `options` (what follows the type's ",") and a query
 * whose written-out start is `queryLead` (undefined: it starts with a variable), cannot run.
 */
export function lookupSetupProblem(cfg: EximConfig, base: string, options: string, queryLead: string | undefined): { why: string; fix: string } | undefined {
  if (queryLead === undefined) return undefined;
  const lead = queryLead.trimStart();
  const opts = options.split(',').map((o) => o.trim());
  const servers = Object.hasOwn(SERVERS, base) ? SERVERS[base] : undefined;
  if (servers) {
    if (mainValue(cfg, servers.option)?.trim() || opts.some((o) => o.startsWith('servers=')) || /^servers\s*=/i.test(lead)) return undefined;
    return {
      why: `no ${servers.product} server is named for this ${base} lookup (${servers.option} is not set, and the lookup has no ",servers=..."): every lookup defers ("no ${servers.product} servers defined")`,
      fix: `Set ${servers.option} in the main section.`,
    };
  }
  if (base === 'sqlite') {
    if (mainValue(cfg, 'sqlite_dbfile')?.trim() || opts.some((o) => o.startsWith('file=')) || lead.startsWith('/') || lead === '') return undefined;
    return {
      why: 'no database file is named for this sqlite lookup (sqlite_dbfile is not set, the lookup has no ",file=...", and its query does not start with one): every lookup defers ("absolute file name expected for "sqlite" lookup")',
      fix: 'Set sqlite_dbfile in the main section, or start the query with the file\'s absolute path.',
    };
  }
  return undefined;
}
