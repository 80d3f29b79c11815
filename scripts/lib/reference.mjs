// Reading ../shared/reference for the catalog generators.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The reference directory: the first argument, else ../shared/reference. Exits when a table is missing. */
export function referenceDir(tool, tables) {
  const dir = resolve(process.argv[2] ?? join(root, '../shared/reference'));
  for (const f of tables) {
    if (!existsSync(join(dir, f))) {
      console.error(`${tool}: no ${f} in ${dir}; pass the reference directory as an argument.`);
      process.exit(1);
    }
  }
  return dir;
}

/** A TSV with a header row, as objects keyed by column name. */
export function readTsv(dir, name) {
  const [head, ...rows] = readFileSync(join(dir, name), 'utf8').split('\n').filter((l) => l.length);
  const cols = head.split('\t');
  return rows.map((r) => {
    const cells = r.split('\t');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

export const yes = (v) => v === 'yes';
