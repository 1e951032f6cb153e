// Imported history for tests that need a registry like a real one: records from 2005 on, some
// published with a statement, imported with `tuidang import` before the registry starts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './cli.ts';

const ORGS = [['party'], ['league'], ['pioneers'], ['party', 'league']];
const REGIONS = ['CN-GD', 'CN-SH', 'CN-SC', undefined];

/** Imports `count` historical records into the data directory of `env`; resolves when done. */
export async function importHistory(env: Record<string, string>, count: number): Promise<void> {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const year = 2005 + (i % 18);
    const day = `${year}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
    const region = REGIONS[i % REGIONS.length];
    lines.push(
      JSON.stringify({
        day,
        orgs: ORGS[i % ORGS.length],
        ...(region ? { region } : {}),
        ...(i % 500 === 0
          ? { name: `历史${i}`, nameKind: 'alias', statement: `${year}年声明三退。`, publish: true }
          : {}),
      }),
    );
  }
  const file = join(env.DATA_DIR ?? '.', '..', `history-${process.pid}.ndjson`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const r = await runCli(env, 'import', file);
  if (r.code !== 0) throw new Error(`import failed: ${r.stderr}`);
}
