// exim/auth-empty-variable (warning): $auth1..$auth4 past the values a server authenticator's
// mechanism gives it. A plaintext authenticator puts each value the client sends in one of
// them (plaintext.c): PLAIN sends three (authorization id, user name, password); LOGIN one
// per server_prompts item, two in practice (user name, password). cram_md5 sets $auth1, the
// user name, alone (cram_md5.c). A variable past them is always empty, so a server_condition
// comparing it fails every login: the PLAIN example's `$auth3` copied into a LOGIN
// authenticator answered the right password "535 Incorrect authentication data" (exim4 -bh).
import type { Finding } from '../../diagnostic';
import { finding } from '../../diagnostic';
import { walkExpansion } from '../../exim/expansion-parser';
import type { DriverInstance, EximConfig } from '../../exim/model';
import { splitList } from '../../exim/lists';
import type { CheckOptions } from '../../options';
import { given, writtenValue } from './instance-options';

/** The options of a server authenticator that are expanded while its values are set. */
const READERS = ['server_condition', 'server_set_id', 'server_secret'];

/** What the client sends, value by value, or undefined where it cannot be told from the config. */
function valuesOf(a: DriverInstance): { names: string[]; how: string } | undefined {
  const driver = a.driver?.trim();
  const mechanism = given(a, 'public_name')?.value?.trim().toUpperCase() ?? a.name.toUpperCase();
  if (driver === 'cram_md5') return { names: ['the user name'], how: 'cram_md5 sets one' };
  if (driver !== 'plaintext') return undefined;
  if (mechanism === 'PLAIN') return { names: ['the authorization id, most often empty', 'the user name', 'the password'], how: 'a PLAIN client sends three values' };
  if (mechanism !== 'LOGIN') return undefined;
  const prompts = writtenValue(given(a, 'server_prompts'));
  if (prompts === undefined) return undefined;
  const items = splitList(prompts).items;
  const names = items.length === 2 ? ['the user name', 'the password'] : items.map((it) => `the answer to "${it.text}"`);
  return { names, how: `a LOGIN client answers each of server_prompts' ${items.length} prompt${items.length === 1 ? '' : 's'} with one value` };
}

export function checkAuthVariables(cfg: EximConfig, _opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const a of cfg.authenticators) {
    const values = valuesOf(a);
    if (!values) continue;
    const have = values.names.map((n, i) => `$auth${i + 1} ${n}`).join(', ');
    for (const s of a.options) {
      if (!READERS.includes(s.name) || !s.expansion || !s.valueLoc || s.negated) continue;
      for (const n of walkExpansion(s.expansion)) {
        if (n.kind !== 'variable') continue;
        const k = /^auth([1-4])$/.exec(n.name);
        if (!k || Number(k[1]) <= values.names.length) continue;
        const effect = s.name === 'server_set_id' ? 'so the id it sets lacks that part' : s.name === 'server_secret' ? 'so the secret looked up with it is the wrong one' : 'so a comparison with it fails every login (535)';
        out.push(finding('exim/auth-empty-variable', s.valueLoc.file, n.range,
          `$${n.name} is always empty in the ${a.driver?.trim()} authenticator "${a.name}": ${values.how} (${have}), ${effect}. Use the variable that holds what is meant.`,
          { severity: 'warning' }));
      }
    }
  }
  return out;
}
