// A published statement does not point at its entry: what the public sees of it (its month) is
// shared by at least TUIDANG_STATEMENT_CROWD declarations of the public log, and the lists are in
// an order unrelated to the entries'. Tried as an attacker would, from the tiles and the pages
// alone, against a real registry over HTTP (SQLite).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readConfig } from '../config/index.ts';
import {
  decodeBase64,
  ENTRIES_LEVEL,
  parseCheckpoint,
  parseEntryBundle,
  TILE_WIDTH,
  tileAt,
  tilePath,
} from '../log/index.ts';
import {
  decodeEntry,
  type Entry,
  formatReceiptCode,
  ownerTag,
  type Receipt,
} from '../registry/index.ts';
import { type Registry, startRegistry } from './index.ts';

const CROWD = 6;
let registry: Registry;
before(async () => {
  registry = await startRegistry(
    readConfig({
      PORT: '0',
      DATA_DIR: join(mkdtempSync(join(tmpdir(), 'tuidang-crowd-')), 'data'),
      TUIDANG_ORIGIN: 'crowd.example/log',
      TUIDANG_POW: 'off',
      TUIDANG_PUBLISH_INTERVAL: '0',
      TUIDANG_STATEMENT_CROWD: String(CROWD),
    }),
  );
});
after(() => registry?.close());

const get = async (path: string) => {
  const res = await fetch(`${registry.url}${path}`);
  assert.equal(res.status, 200, path);
  return res;
};

/** Declares these people (a statement to publish for some) and returns their receipts. */
async function declare(people: readonly { name: string; statement?: string }[]) {
  const res = await fetch(`${registry.url}/api/v1/declarations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      language: 'en',
      declarants: people.map((p, i) => ({
        name: p.name,
        nameKind: 'alias',
        orgs: i % 2 ? ['league'] : ['party'],
        region: i % 3 ? 'CN-GD' : undefined,
        ...(p.statement ? { statement: p.statement, publish: true } : {}),
      })),
    }),
  });
  assert.equal(res.status, 201);
  return ((await res.json()) as { receipts: Receipt[] }).receipts;
}

/** Every entry of the public log, read from its tiles as anyone can. */
async function publicEntries(): Promise<Entry[]> {
  const note = await (await get('/log/checkpoint')).text();
  const { treeSize } = parseCheckpoint(note.slice(0, note.indexOf('\n\n') + 1));
  const entries: Entry[] = [];
  for (let i = 0; i * TILE_WIDTH < treeSize; i++) {
    const tile = tileAt(treeSize, ENTRIES_LEVEL, i);
    const bundle = new Uint8Array(await (await get(`/log/${tilePath(tile)}`)).arrayBuffer());
    entries.push(...parseEntryBundle(bundle).map(decodeEntry));
  }
  return entries;
}

/** The statements as the page shows them: text, and all that is said of when and where. */
async function shownStatements(): Promise<{ text: string; footer: string; month: string }[]> {
  const page = await (await get('/en/statements')).text();
  return [...page.matchAll(/<blockquote[^>]*><p>([^<]*)<\/p>\s*<footer>([\s\S]*?)<\/footer>/g)].map(
    (m) => ({
      text: m[1] ?? '',
      footer: m[2] ?? '',
      month: /<time datetime="([^"]*)"/.exec(m[2] ?? '')?.[1] ?? '',
    }),
  );
}

/** The entries a statement could be, from what it shows: declarations of its month, not voided. */
function candidates(entries: readonly Entry[], month: string): number {
  const voided = new Set(entries.flatMap((e) => (e.kind === 'void' ? [e.target] : [])));
  return entries.filter(
    (e, i) => e.kind === 'declaration' && e.day.startsWith(`${month}-`) && !voided.has(i),
  ).length;
}

test(`each published statement matches at least ${CROWD} entries of the public log`, async () => {
  // Three statements, approved in the order of their entries, in a month of three declarations.
  const mine = await declare([
    { name: 'A', statement: 'statement A' },
    { name: 'B', statement: 'statement B' },
    { name: 'C', statement: 'statement C' },
  ]);
  for (const r of [...mine].sort((a, b) => a.index - b.index))
    assert.ok(await registry.store.site.moderate(r.index, { status: 'approved' }));
  assert.deepEqual(await shownStatements(), [], `fewer than ${CROWD} in the month: not listed`);
  const home = await (await get('/en/')).text();
  assert.doesNotMatch(home, /statement [ABC]/, 'nor on the home page');
  const feed = await (await get('/en/statements/feed.xml')).text();
  assert.doesNotMatch(feed, /statement [ABC]/, 'nor in the feed');

  // The month fills up: now they are listed.
  await declare([{ name: 'D' }, { name: 'E' }, { name: 'F' }]);
  const shown = await shownStatements();
  assert.equal(shown.length, 3);
  const entries = await publicEntries();
  for (const s of shown) {
    assert.match(s.month, /^\d{4}-\d{2}$/, 'a month, not a day');
    assert.doesNotMatch(s.footer, /\d{4}-\d{2}-\d{2}|Party|League|Pioneers|Guangdong/);
    assert.ok(candidates(entries, s.month) >= CROWD, `${s.text}: ${CROWD} candidates or more`);
  }
  // Listed by owner tag (a hash of each receipt's secret), not by entry or approval order.
  const tagOf = (r: Receipt) =>
    Buffer.from(ownerTag(decodeBase64(r.salt) ?? new Uint8Array())).toString('hex');
  const byTag = [...mine].sort((a, b) => (tagOf(a) < tagOf(b) ? -1 : 1));
  const statementOf = new Map(mine.map((r, i) => [r.index, `statement ${'ABC'[i]}`]));
  assert.deepEqual(
    shown.map((s) => s.text),
    byTag.map((r) => statementOf.get(r.index)),
  );
  const listedFeed = await (await get('/en/statements/feed.xml')).text();
  assert.deepEqual(
    [...listedFeed.matchAll(/<content type="text">([^<]*)</g)].map((m) => m[1]),
    byTag.map((r) => statementOf.get(r.index)),
    'the feed in the same order',
  );
});

test('the statements page has no filter by organisation or region (it would show them)', async () => {
  const page = await (await get('/en/statements')).text();
  assert.doesNotMatch(page, /name="org"|name="region"/);
  // Old links with those parameters still work and filter nothing.
  const old = await (await get('/en/statements?org=pioneers&region=CN-XZ')).text();
  assert.equal(old.match(/<blockquote/g)?.length, page.match(/<blockquote/g)?.length);
});

test("the erase page shows a statement only to its receipt's holder: a made-up code learns nothing", async () => {
  const [withText, without] = await declare([
    { name: 'Hidden', statement: 'a statement to find' },
    { name: 'Plain' },
  ]);
  assert.ok(withText && without);
  assert.ok(await registry.store.site.moderate(withText.index, { status: 'approved' }));
  const erasePage = async (index: number, salt: Uint8Array) => {
    const res = await fetch(`${registry.url}/en/erase`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ receipt: formatReceiptCode(index, salt) }).toString(),
    });
    assert.equal(res.status, 200);
    const page = await res.text();
    // What differs between two entries anyway: their number, code, day and organisations.
    return (/<main[^>]*>([\s\S]*)<\/main>/.exec(page)?.[1] ?? '')
      .replace(/<dl class="facts">[\s\S]*?<\/dl>/, '')
      .replace(/\d+/g, 'N');
  };
  const own = await erasePage(withText.index, decodeBase64(withText.salt) ?? new Uint8Array());
  assert.match(own, /a statement to find/, 'its holder sees what will be removed');
  const guessed = await erasePage(withText.index, randomBytes(32));
  assert.doesNotMatch(guessed, /a statement to find|Hidden/);
  assert.equal(guessed, await erasePage(without.index, randomBytes(32)), 'no tell-tale difference');
});
