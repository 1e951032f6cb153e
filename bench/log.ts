// Integration speed against its floor: the same SHA-256 work (every leaf hash and every node hash
// of the tree) done in a plain loop with the same hash function, in the same process.
import { hash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { integrate } from '../src/log/integrate.ts';
import { TileMap } from '../src/log/tilemap.ts';

function makeEntries(n: number, size: number): Uint8Array[] {
  const all = new Uint8Array(n * size);
  for (let i = 0; i < all.length; i++) all[i] = (i * 131 + (i >>> 8) * 7) & 0xff;
  return Array.from({ length: n }, (_, i) => all.subarray(i * size, (i + 1) * size));
}

/** Every leaf hash and node hash of the tree over `entries`, with nothing else. */
function plainLoop(entries: Uint8Array[]): Uint8Array {
  const leafInput = new Uint8Array(1 + (entries[0]?.length ?? 0));
  let level: Uint8Array[] = entries.map((e) => {
    leafInput.set(e, 1);
    return hash('sha256', leafInput, 'buffer');
  });
  const nodeInput = new Uint8Array(65);
  nodeInput[0] = 1;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      nodeInput.set(level[i] as Uint8Array, 1);
      nodeInput.set(level[i + 1] as Uint8Array, 33);
      next.push(hash('sha256', nodeInput, 'buffer'));
    }
    if (level.length % 2 === 1) next.push(level[level.length - 1] as Uint8Array);
    level = next;
  }
  return level[0] as Uint8Array;
}

async function integrateAll(entries: Uint8Array[], batch: number): Promise<number> {
  const tiles = new TileMap();
  let size = 0;
  for (let at = 0; at < entries.length; at += batch) {
    const r = await integrate(tiles.readTiles, size, entries.slice(at, at + batch));
    tiles.apply(r.tiles);
    size = r.treeSize;
  }
  return size;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: {
      entries: { type: 'string', default: '1000000' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const n = Number(values.entries);
  const rounds = Number(values.rounds);
  const entries = makeEntries(n, 50);
  const rate = (s: number) => `${Math.round(n / s).toLocaleString('en')} entries/s`;
  // Best of several rounds, alternating, so that both sides see the same machine.
  let floor = Number.POSITIVE_INFINITY;
  const best: Record<number, number> = {
    256: Number.POSITIVE_INFINITY,
    4096: Number.POSITIVE_INFINITY,
  };
  for (let r = 0; r < rounds; r++) {
    let t = process.hrtime.bigint();
    plainLoop(entries);
    floor = Math.min(floor, seconds(t));
    for (const batch of [256, 4096]) {
      t = process.hrtime.bigint();
      await integrateAll(entries, batch);
      best[batch] = Math.min(best[batch] as number, seconds(t));
    }
  }
  console.log(`${n.toLocaleString('en')} entries of 50 bytes, best of ${rounds} rounds`);
  console.log(`plain SHA-256 loop (floor)  ${rate(floor)}`);
  for (const batch of [256, 4096]) {
    const s = best[batch] as number;
    console.log(
      `integrate, batches of ${String(batch).padEnd(5)} ${rate(s)}  ratio ${(floor / s).toFixed(2)} (goal ≥ 0.5)`,
    );
  }
}
