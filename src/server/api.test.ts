// HTTP round trips against a real server, on SQLite and on PostgreSQL: receipts verify with src/log against their
// checkpoint, the served tiles reproduce the checkpoint's root, bad input stores nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freshSchema, postgresUrl } from '../../test/postgres.ts';
import { readConfig } from '../config/index.ts';
import {
  decodeBase64,
  hashLeaf,
  openCheckpoint,
  parseEntryBundle,
  type ReadTiles,
  tilePath,
  treeRoot,
  verifierFromKey,
  verifyInclusion,
} from '../log/index.ts';
import { decodeEntry, tally } from '../registry/index.ts';
import type { Receipt } from '../sequencer/index.ts';
import { type Registry, startRegistry } from './start.ts';

let registry: Registry;
let base: string;

function suite(env: () => Record<string, string>): void {
  before(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tuidang-api-'));
    registry = await startRegistry(
      readConfig({
        PORT: '0',
        DATA_DIR: dataDir,
        TUIDANG_ORIGIN: 'test.example/log',
        TUIDANG_POW: 'off',
        TUIDANG_PUBLISH_INTERVAL: '0',
        ...env(),
      }),
    );
    base = registry.url;
  });
  after(() => registry.close());

  const post = (
    body: unknown,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ) =>
    fetch(`${base}/api/v1/declarations`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const b64 = (s: string) => decodeBase64(s) as Uint8Array;

  const readTiles: ReadTiles = async (tiles) =>
    Promise.all(
      tiles.map(async (t) => {
        const res = await fetch(`${base}/log/${tilePath(t)}`);
        assert.equal(res.status, 200, tilePath(t));
        return new Uint8Array(await res.arrayBuffer());
      }),
    );

  test('a family of three declares; every receipt verifies against the signed checkpoint', async () => {
    const res = await post({
      language: 'zh-Hans',
      declarants: [
        { name: '王小明', nameKind: 'real', orgs: ['party'], region: 'CN-GD' },
        {
          name: '王红',
          nameKind: 'alias',
          orgs: ['league', 'pioneers'],
          statement: '我声明退出',
          publish: true,
        },
        { name: '王小小', nameKind: 'alias', orgs: ['pioneers'] },
      ],
    });
    assert.equal(res.status, 201);
    const { receipts } = (await res.json()) as { receipts: Receipt[] };
    assert.equal(receipts.length, 3);
    const vkey = (await (await fetch(`${base}/log/vkey`)).text()).trim();
    for (const r of receipts) {
      const cp = openCheckpoint(r.checkpoint, [verifierFromKey(vkey)], 'test.example/log');
      verifyInclusion(
        r.index,
        r.treeSize,
        hashLeaf(b64(r.entry)),
        r.inclusionProof.map(b64),
        cp.root,
      );
    }
    const text = JSON.stringify(receipts);
    assert.doesNotMatch(text, /王/, 'no name in a receipt: only the commitment');
  });

  test('many concurrent declarations; the served tiles reproduce the checkpoint root and the totals', async () => {
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        post({
          language: 'en',
          declarants: [{ name: `n${i}`, nameKind: 'alias', orgs: ['party'] }],
        }),
      ),
    );
    assert.ok(results.every((r) => r.status === 201));
    const cpRes = await fetch(`${base}/log/checkpoint`);
    assert.match(cpRes.headers.get('cache-control') ?? '', /max-age=5/);
    const vkey = (await (await fetch(`${base}/log/vkey`)).text()).trim();
    const cp = openCheckpoint(await cpRes.text(), [verifierFromKey(vkey)]);
    assert.equal(cp.treeSize, 63);
    assert.deepEqual(Buffer.from(await treeRoot(readTiles, cp.treeSize)), Buffer.from(cp.root));
    const [bundle] = await readTiles([{ level: -1, index: 0, width: cp.treeSize }]);
    const recount = tally(parseEntryBundle(bundle as Uint8Array, cp.treeSize).map(decodeEntry));
    const stats = (await (await fetch(`${base}/api/v1/stats`)).json()) as {
      total: number;
      totals: unknown;
      treeSize: number;
    };
    assert.equal(stats.total, 63);
    assert.deepEqual(stats.totals, recount);
  });

  test('proof endpoints agree with the receipts', async () => {
    const [r] = (
      (await (
        await post({
          language: 'en',
          declarants: [{ name: 'p', nameKind: 'alias', orgs: ['league'] }],
        })
      ).json()) as { receipts: Receipt[] }
    ).receipts;
    assert.ok(r);
    const res = await fetch(
      `${base}/api/v1/proof/inclusion?index=${r.index}&treeSize=${r.treeSize}`,
    );
    assert.deepEqual(
      ((await res.json()) as { inclusionProof: string[] }).inclusionProof,
      r.inclusionProof,
    );
    const cons = await fetch(`${base}/api/v1/proof/consistency?from=3&to=${r.treeSize}`);
    assert.equal(cons.status, 200);
    for (const q of [
      'index=a&treeSize=1',
      `index=0&treeSize=${r.treeSize + 100}`,
      'index=5&treeSize=5',
    ]) {
      const bad = await fetch(`${base}/api/v1/proof/inclusion?${q}`);
      assert.equal(bad.status, 400, q);
      assert.equal(bad.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    }
  });

  test('bad input: 400 with a problem body naming the field, no stack trace, nothing stored', async () => {
    const before = ((await (await fetch(`${base}/api/v1/stats`)).json()) as { treeSize: number })
      .treeSize;
    const cases: Array<[unknown, Record<string, string> | undefined, number, RegExp]> = [
      [
        { language: 'en', declarants: [{ name: '', nameKind: 'alias', orgs: [] }] },
        undefined,
        400,
        /name is required/,
      ],
      [
        {
          language: 'en',
          declarants: [
            { name: 'x', nameKind: 'alias', orgs: ['party'], statement: 's'.repeat(10000) },
          ],
        },
        undefined,
        400,
        /at most 2000/,
      ],
      [
        {
          language: 'en',
          declarants: [{ name: 'x', nameKind: 'alias', orgs: ['party'] }],
          extra: true,
        },
        undefined,
        400,
        /unknown field/,
      ],
      ['{not json', undefined, 400, /not valid JSON/],
      ['x'.repeat(2 * 1024 * 1024), undefined, 413, /too large/],
      [
        'language=en',
        { 'content-type': 'application/x-www-form-urlencoded' },
        415,
        /application\/json/,
      ],
    ];
    for (const [body, headers, status, detail] of cases) {
      const res = await post(body, headers);
      const text = await res.text();
      assert.equal(res.status, status, text.slice(0, 200));
      assert.match(text, detail);
      assert.doesNotMatch(text, /\bat \S+ \(/, 'no stack trace');
    }
    const after = ((await (await fetch(`${base}/api/v1/stats`)).json()) as { treeSize: number })
      .treeSize;
    assert.equal(after, before);
  });

  test('tiles: full ones immutable, partial ones short-lived, beyond the tree 404, bad paths 404', async () => {
    const partial = await fetch(`${base}/log/tile/0/000.p/3`);
    assert.equal(partial.status, 200);
    assert.equal((await partial.arrayBuffer()).byteLength, 96);
    assert.match(partial.headers.get('cache-control') ?? '', /max-age=5/);
    assert.equal((await fetch(`${base}/log/tile/0/000`)).status, 404);
    assert.equal((await fetch(`${base}/log/tile/0/000.p/255`)).status, 404);
    assert.equal((await fetch(`${base}/log/tile/0/x000/000`)).status, 404);
    assert.equal((await fetch(`${base}/log/tile/entries/000.p/2`)).status, 200);
    const headers = (await fetch(`${base}/log/checkpoint`)).headers;
    assert.equal(headers.get('content-security-policy')?.startsWith("default-src 'self'"), true);
    assert.equal(headers.get('set-cookie'), null);
  });

  test('Idempotency-Key: a retry gets the same receipts; another body with the key is 409; a bad key 400', async () => {
    const body = {
      language: 'en',
      declarants: [{ name: 'retry', nameKind: 'alias', orgs: ['party'] }],
    };
    const headers = { 'content-type': 'application/json', 'idempotency-key': randomUUID() };
    const first = await post(body, headers);
    assert.equal(first.status, 201);
    const size = ((await (await fetch(`${base}/api/v1/stats`)).json()) as { treeSize: number })
      .treeSize;
    const again = await post(body, headers);
    assert.equal(again.status, 201);
    assert.equal(await again.text(), await first.text());
    assert.equal(
      ((await (await fetch(`${base}/api/v1/stats`)).json()) as { treeSize: number }).treeSize,
      size,
    );
    const conflict = await post({ ...body, language: 'zh-Hans' }, headers);
    assert.equal(conflict.status, 409);
    assert.match(await conflict.text(), /different request/);
    const bad = await post(body, { ...headers, 'idempotency-key': 'has space' });
    assert.equal(bad.status, 400);
    // A guessable key would let anyone who guesses it replay the receipts, with their salts.
    for (const guessable of ['1', 'b6f7c1d2-retry', 'a'.repeat(40)]) {
      const short = await post(body, { ...headers, 'idempotency-key': guessable });
      assert.equal(short.status, 400);
      assert.match(await short.text(), /at least 128 bits/);
    }
  });

  test('stats: an entity tag per tree size; a poller that sends it back gets 304 until the log grows', async () => {
    const first = await fetch(`${base}/api/v1/stats`);
    const etag = first.headers.get('etag') ?? '';
    assert.match(etag, /^"[\w-]+"$/);
    assert.match(first.headers.get('content-type') ?? '', /^application\/json/);
    const { treeSize } = (await first.json()) as { treeSize: number };
    const same = await fetch(`${base}/api/v1/stats`, { headers: { 'if-none-match': etag } });
    assert.equal(same.status, 304);
    assert.equal(await same.text(), '');
    const added = await post({
      language: 'en',
      declarants: [{ name: 'etag', nameKind: 'alias', orgs: ['league'] }],
    });
    assert.equal(added.status, 201);
    const grown = await fetch(`${base}/api/v1/stats`, { headers: { 'if-none-match': etag } });
    assert.equal(grown.status, 200);
    assert.notEqual(grown.headers.get('etag'), etag);
    assert.equal(((await grown.json()) as { treeSize: number }).treeSize, treeSize + 1);
  });
}

describe('on SQLite', () => suite(() => ({})));
describe('on PostgreSQL', () =>
  suite(() => ({ DATABASE_URL: postgresUrl, DATABASE_SCHEMA: freshSchema() })));
