// Verifying a 1,000,000-entry log from a local mirror, against a plain SHA-256 loop over the same
// leaf and node inputs in the same run; and the verifier's peak memory.
import { execFile } from 'node:child_process';
import { hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  ed25519PrivateKey,
  ed25519Signer,
  ed25519Verifier,
  integrate,
  parseCheckpoint,
  parseEntryBundle,
  parseNote,
  rawPublicKey,
  signCheckpoint,
  TileMap,
  tilePath,
} from '../src/log/index.ts';
import {
  CHANNELS,
  dayString,
  encodeEntry,
  headline,
  ORGS,
  REGIONS,
} from '../src/registry/index.ts';
import {
  DirSource,
  startVerifierHashers,
  verifyLog,
  writeAtomically,
} from '../src/verify/index.ts';

export function entries(n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const commitment = new Uint8Array(32);
  for (let i = 0; i < n; i++) {
    commitment[0] = i & 0xff;
    commitment[1] = (i >> 8) & 0xff;
    commitment[2] = (i >> 16) & 0xff;
    out.push(
      encodeEntry({
        kind: 'declaration',
        day: dayString(12800 + (i % 7000)), // 2005-01-17 … 2024-03-15: inside the day window
        orgs: ORGS.filter((_, k) => ((i % 7) + 1) & (1 << k)),
        channel: CHANNELS[i % CHANNELS.length] as (typeof CHANNELS)[number],
        region: i % 5 === 0 ? undefined : REGIONS[i % REGIONS.length]?.[0],
        groupId: i % 4 === 0 ? commitment.subarray(0, 16) : undefined,
        commitment,
      }),
    );
  }
  return out;
}

/**
 * Every leaf and node hash of the tree, with nothing else: leaves folded into a stack of complete
 * subtrees as they come (the fastest way, in memory and time), then the stack folded into the root.
 */
export function plainLoop(list: Uint8Array[]): Uint8Array {
  const leaf = new Uint8Array(1 + 64);
  const node = new Uint8Array(65);
  node[0] = 1;
  const join = (l: Uint8Array, r: Uint8Array) => {
    node.set(l, 1);
    node.set(r, 33);
    return hash('sha256', node, 'buffer');
  };
  const stack: Uint8Array[] = [];
  list.forEach((e, i) => {
    leaf.set(e, 1);
    let h: Uint8Array = hash('sha256', leaf.subarray(0, 1 + e.length), 'buffer');
    for (let n = i; n % 2 === 1; n = Math.floor(n / 2)) h = join(stack.pop() as Uint8Array, h);
    stack.push(h);
  });
  let root = stack.pop() as Uint8Array;
  while (stack.length > 0) root = join(stack.pop() as Uint8Array, root);
  return root;
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: { entries: { type: 'string', default: '1000000' } },
  });
  const n = Number(values.entries);
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-bench-mirror-'));
  try {
    process.stdout.write(`writing a ${n.toLocaleString('en')}-entry mirror… `);
    const list = entries(n);
    const tiles = new TileMap();
    const r = await integrate(tiles.readTiles, 0, list);
    for (const t of r.tiles) await writeAtomically(join(dir, tilePath(t.tile)), t.data);
    const seed = new Uint8Array(32).fill(5);
    await writeAtomically(
      join(dir, 'checkpoint'),
      signCheckpoint(
        { origin: 'bench.example/log', treeSize: n, root: r.root },
        ed25519Signer('bench.example/log', seed),
      ),
    );
    console.log('done');

    const child = (mode: string) =>
      new Promise<{ seconds: number; peak: number; recounted: number }>((resolve, reject) => {
        execFile(
          process.execPath,
          [fileURLToPath(import.meta.url), '--child', mode, dir, Buffer.from(seed).toString('hex')],
          (error, stdout) => {
            if (error) reject(error);
            else resolve(JSON.parse(stdout));
          },
        );
      });
    const floor = await child('floor');
    const verified = await child('verify');
    console.log(
      `plain SHA-256 loop (floor)  ${Math.round(n / floor.seconds).toLocaleString('en')} entries/s`,
    );
    console.log(
      `verify from a mirror        ${Math.round(n / verified.seconds).toLocaleString('en')} entries/s  ratio ${(floor.seconds / verified.seconds).toFixed(2)} (goal ≥ 0.8)  ` +
        `peak memory ${Math.round(verified.peak / 2 ** 20)} MiB  recounted ${verified.recounted.toLocaleString('en')} declarants`,
    );
  } finally {
    if (process.env.KEEP_MIRROR) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

// Both measurements run in fresh processes of their own, so that neither pays for the memory
// this process used to write the mirror, and the verifier's peak memory is its own. (Linux keeps a
// parent's high-water mark across fork and exec, so the peak is sampled, not read from rusage.)
if (process.argv[2] === '--child') {
  const [mode = '', dir = '', seedHex = ''] = process.argv.slice(3);
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const sampler = setInterval(sample, 10);
  let seconds: number;
  let recounted = 0;
  if (mode === 'floor') {
    const source = new DirSource(dir);
    const { treeSize } = parseCheckpoint(parseNote(await source.checkpoint()).text);
    const list: Uint8Array[] = [];
    for (let k = 0; k * 256 < treeSize; k++) {
      const width = Math.min(256, treeSize - k * 256);
      list.push(...parseEntryBundle(await source.tile({ level: -1, index: k, width }), width));
    }
    const t = performance.now();
    plainLoop(list);
    seconds = (performance.now() - t) / 1000;
  } else {
    const key = ed25519Verifier(
      'bench.example/log',
      rawPublicKey(ed25519PrivateKey(Buffer.from(seedHex, 'hex'))),
    );
    // With hashing threads, one a core, as `tuidang verify` runs.
    const hashers = startVerifierHashers();
    const t = performance.now();
    const result = await verifyLog(new DirSource(dir), {
      logKeys: [key],
      checkBundle: hashers.check,
    });
    seconds = (performance.now() - t) / 1000;
    await hashers.close();
    recounted = headline(result.totals);
  }
  sample();
  clearInterval(sampler);
  console.log(JSON.stringify({ seconds, peak, recounted }));
}
