// Time to first byte of the pages at 1,000,000 entries (goal: under 50 ms locally), against a bare
// Fastify route that sends a page of the same size from memory, in the same run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { readConfig } from '../src/config/index.ts';
import {
  generateKey,
  integrate,
  parseSignerKey,
  signCheckpoint,
  signerFromKey,
} from '../src/log/index.ts';
import { CHANNELS, dayString, encodeEntry, ORGS, REGIONS, Recount } from '../src/registry/index.ts';
import { startRegistry } from '../src/server/index.ts';
import { SqliteStore } from '../src/store/index.ts';

async function firstByte(url: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(url);
  const reader = res.body?.getReader();
  await reader?.read();
  const ms = performance.now() - t;
  await reader?.cancel();
  return ms;
}

async function measure(url: string, n: number): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await firstByte(url));
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n / 2)] as number, p99: times[Math.floor(n * 0.99)] as number };
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: {
      entries: { type: 'string', default: '1000000' },
      requests: { type: 'string', default: '200' },
    },
  });
  const n = Number(values.entries);
  const requests = Number(values.requests);
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-bench-web-'));
  const origin = 'bench.example/log';
  const key = generateKey(origin);
  process.stdout.write(`building a ${n.toLocaleString('en')}-entry registry… `);
  const store = new SqliteStore(dir);
  const recount = new Recount();
  const commitment = new Uint8Array(32);
  const batch = 65536;
  for (let at = 0; at < n; at += batch) {
    const entries: Uint8Array[] = [];
    for (let i = at; i < Math.min(n, at + batch); i++) {
      commitment[0] = i & 0xff;
      commitment[1] = (i >> 8) & 0xff;
      const e = {
        kind: 'declaration' as const,
        day: dayString(12800 + Math.floor((i / n) * 7600)),
        orgs: ORGS.filter((_, k) => ((i % 7) + 1) & (1 << k)),
        channel: CHANNELS[i % 4] as (typeof CHANNELS)[number],
        region: i % 5 === 0 ? undefined : REGIONS[i % REGIONS.length]?.[0],
        commitment,
      };
      recount.add(e);
      entries.push(encodeEntry(e));
    }
    const r = await integrate(store.readTiles, at, entries);
    const publications = Array.from({ length: 20 }, (_, k) => ({
      index: at + k,
      name: `名${at + k}`,
      nameKind: 'alias' as const,
      statement: '我声明退出中共及其附属组织。'.repeat(3),
      orgs: ['party'],
      region: 'CN-GD',
      day: '2026-11-25',
      language: 'zh-Hans',
    }));
    const checkpoint = signCheckpoint(
      { origin, treeSize: r.treeSize, root: r.root },
      signerFromKey(key.skey),
    );
    await store.commit({
      oldSize: at,
      newSize: r.treeSize,
      tiles: r.tiles,
      checkpoint,
      totals: recount.totals,
      voided: [],
      publications,
    });
  }
  await store.close();
  console.log('done');

  const registry = await startRegistry(
    readConfig({
      TUIDANG_POW: 'off',
      TUIDANG_PUBLISH_INTERVAL: '0',
      PORT: '0',
      DATA_DIR: dir,
      TUIDANG_ORIGIN: parseSignerKey(key.skey).name,
      TUIDANG_SIGNER_KEY: key.skey,
    }),
  );
  const home = await (await fetch(`${registry.url}/zh-hans/`)).text();
  const bare = Fastify({ logger: false });
  bare.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(home));
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
  try {
    for (let i = 0; i < 20; i++) await firstByte(`${registry.url}/zh-hans/`); // warm up
    const baseline = await measure(bareUrl, requests);
    console.log(
      `bare Fastify, same page from memory   p50 ${baseline.p50.toFixed(2)} ms  p99 ${baseline.p99.toFixed(2)} ms`,
    );
    for (const path of ['/zh-hans/', '/en/stats', '/zh-hant/statements', '/en/figures']) {
      const m = await measure(`${registry.url}${path}`, requests);
      console.log(
        `${path.padEnd(38)} p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms  ratio ${(baseline.p50 / m.p50).toFixed(2)}  (goal: first byte < 50 ms)`,
      );
    }
  } finally {
    await bare.close();
    await registry.close();
  }
}
