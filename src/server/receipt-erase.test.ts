// The receipt check and the erasure as a declarant without JavaScript meets them: forms posted to
// a real registry (SQLite) over HTTP, each answer read as the page states it. The browser tests
// (src/web/receipts.test.ts, receipt-safety.test.ts) drive the same pages with scripts on and off;
// these run in the test's own process, so mutation testing sees the code they reach.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { mainText } from '../../test/pages.ts';
import { readConfig } from '../config/index.ts';
import { decodeBase64, generateKey } from '../log/index.ts';
import { formatReceiptCode, ownerTag, type Receipt } from '../registry/index.ts';
import { en } from '../web/messages/en.ts';
import { type Registry, startRegistry } from './index.ts';

const ORIGIN = 'receipts.example/log';
const KEY = generateKey(ORIGIN).skey;
const settings = (dir: string, origin = ORIGIN, key = KEY) =>
  readConfig({
    PORT: '0',
    DATA_DIR: join(mkdtempSync(join(tmpdir(), `tuidang-${dir}-`)), 'data'),
    TUIDANG_ORIGIN: origin,
    TUIDANG_SIGNER_KEY: key,
    TUIDANG_POW: 'off',
    TUIDANG_PUBLISH_INTERVAL: '0',
    // Every approved statement listed at once (the crowd rule is tested in statement-crowd.test.ts).
    TUIDANG_STATEMENT_CROWD: '1',
    LOG_LEVEL: 'silent',
  });

let registry: Registry;
/** A registry of the same origin and key with another history (a fork). */
let fork: Registry;
/** A registry of another origin. */
let other: Registry;
before(async () => {
  [registry, fork, other] = await Promise.all([
    startRegistry(settings('receipts')),
    startRegistry(settings('fork')),
    startRegistry({
      ...settings('other', 'other.example/log', generateKey('other.example/log').skey),
      publicUrl: 'https://other.example',
    }),
  ]);
});
after(() => Promise.all([registry?.close(), fork?.close(), other?.close()]));

interface Person {
  readonly name: string;
  readonly statement?: string;
  readonly orgs?: readonly string[];
}

/** Declares these people (one form, as a family) on `at`, and returns their receipts. */
async function declare(people: readonly Person[], at = registry): Promise<Receipt[]> {
  const res = await fetch(`${at.url}/api/v1/declarations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      language: 'en',
      declarants: people.map((p) => ({
        name: p.name,
        nameKind: 'alias',
        orgs: p.orgs ?? ['party'],
        ...(p.statement ? { statement: p.statement, publish: true } : {}),
      })),
    }),
  });
  assert.equal(res.status, 201);
  return ((await res.json()) as { receipts: Receipt[] }).receipts;
}

const codeOf = (r: Receipt) => formatReceiptCode(r.index, decodeBase64(r.salt) as Uint8Array);

/** Posts a form; answers its status and the text of its page's main part. */
async function post(path: string, form: Record<string, string>, at = registry) {
  const res = await fetch(`${at.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const page = await res.text();
  return { status: res.status, page, text: mainText(page) };
}

const check = (receipt: string, at = registry) => post('/en/receipt', { receipt }, at);
const treeSize = async (at = registry) => (await at.store.state()).treeSize;
const number = (n: number) => n.toLocaleString('en');

test('a receipt pasted whole is checked by the server: in the signed state, consistent with the latest', async () => {
  const [mine] = await declare([{ name: 'Check One' }]);
  await declare([{ name: 'Later One' }, { name: 'Later Two' }]);
  const latest = await treeSize();
  const r = mine as Receipt;
  const answer = await check(JSON.stringify(r));
  assert.equal(answer.status, 200);
  assert.ok(
    answer.text.includes(
      en['check.resultOk'](number(r.index + 1), number(r.treeSize), number(latest), ORIGIN),
    ),
    answer.text,
  );
  assert.ok(answer.text.includes(en['check.byServer']));
  assert.ok(!answer.text.includes(en['check.resultCode']), 'not rebuilt from a code');
  // The receipt stays in the form, for another try; the page is never cached.
  assert.ok(answer.page.includes('&quot;salt&quot;'));

  // A family's file: its first receipt is the one checked.
  const family = await declare([{ name: 'Family A' }, { name: 'Family B' }]);
  const both = await check(JSON.stringify({ receipts: family }));
  assert.equal(both.status, 200);
  const first = family[0] as Receipt;
  assert.ok(both.text.includes(`Entry ${number(first.index + 1)} is in the register`), both.text);
});

test('a receipt code from the paper is rebuilt from the public log and checked', async () => {
  const [r] = (await declare([{ name: 'Code One' }])) as [Receipt];
  const latest = await treeSize();
  const answer = await check(`  ${codeOf(r)}\n`);
  assert.equal(answer.status, 200);
  assert.ok(
    answer.text.includes(
      en['check.resultOk'](number(r.index + 1), number(latest), number(latest), ORIGIN),
    ),
    answer.text,
  );
  assert.ok(answer.text.includes(en['check.resultCode']));
  // The code of an entry the public log does not hold yet: a sentence, not a failure.
  const ahead = await check(formatReceiptCode(latest + 5, randomBytes(32)));
  assert.equal(ahead.status, 400);
  assert.ok(ahead.text.includes(en['check.notYet'](number(latest + 6))), ahead.text);
  const next = await check(formatReceiptCode(latest, randomBytes(32)));
  assert.ok(
    next.text.includes(en['check.notYet'](number(latest + 1))),
    'the next entry is not yet',
  );
});

test('a receipt that is not whole, altered, of another register or of another history is refused by name', async () => {
  const [r] = (await declare([{ name: 'Altered' }])) as [Receipt];
  const refused = async (receipt: string, message: string, at = registry) => {
    const answer = await check(receipt, at);
    assert.equal(answer.status, 400, message);
    assert.ok(answer.text.includes(message), `${message}\n${answer.text}`);
    assert.ok(!answer.text.includes(en['check.independent']), 'no success said');
  };
  await refused('', en['check.malformed']);
  await refused('not a receipt', en['check.malformed']);
  await refused('{"index": 0', en['check.malformed']);
  await refused(`${codeOf(r)}X`, en['check.malformed']);
  await refused(JSON.stringify({ ...r, entry: 'not base64!' }), en['check.malformed']);
  // Another entry's proof; a tree size that is not the checkpoint's.
  await refused(JSON.stringify({ ...r, index: r.index + 1 }), en['check.notIncluded']);
  await refused(JSON.stringify({ ...r, treeSize: r.treeSize + 1 }), en['check.notIncluded']);
  // A checkpoint whose signature does not verify.
  const forged = r.checkpoint.replace(/\n(\d+)\n/, (_, n) => `\n${Number(n) + 1}\n`);
  await refused(JSON.stringify({ ...r, checkpoint: forged }), en['check.notSigned']);
  // Another register's receipt: signed by a key this one does not have.
  const [elsewhere] = (await declare([{ name: 'Elsewhere' }], other)) as [Receipt];
  await refused(JSON.stringify(elsewhere), en['check.notSigned']);
  // Signed by this log's key in a history the log does not hold: what checking is for.
  await declare([{ name: 'Fork A' }, { name: 'Fork B' }, { name: 'Fork C' }], fork);
  const [forked] = (await declare([{ name: 'Forked' }], fork)) as [Receipt];
  assert.ok(
    forked.treeSize <= (await treeSize()),
    'the fork is behind: a consistency proof exists',
  );
  await refused(JSON.stringify(forked), en['check.inconsistent']);
});

test('a code with a made-up salt names no publication and erases nothing', async () => {
  const [r] = (await declare([{ name: 'Guarded', statement: 'Mine alone.' }])) as [Receipt];
  const madeUp = formatReceiptCode(r.index, randomBytes(32));
  const confirm = await post('/en/erase', { receipt: madeUp });
  assert.equal(confirm.status, 200);
  assert.ok(!confirm.text.includes('Guarded'), 'the name is not shown to a made-up salt');
  assert.ok(!confirm.text.includes('Mine alone.'));
  assert.ok(confirm.text.includes(en['erase.confirmTitleNone']));
  assert.ok(confirm.text.includes(en['erase.confirmNone'](number(r.index + 1))));
  assert.ok(!confirm.page.includes('/erase/confirm'), 'nothing to confirm');
  const erased = await post('/en/erase/confirm', { code: madeUp });
  assert.equal(erased.status, 404);
  assert.ok(erased.text.includes(en['erase.nothing']));
  const still = await registry.store.site.publications({
    owner: ownerTag(decodeBase64(r.salt) as Uint8Array),
    status: 'pending',
    limit: 10,
  });
  assert.deepEqual(
    still.map((p) => p.index),
    [r.index],
  );
});

test('erasing: the receipt shows what goes, the confirmation removes that one person only', async () => {
  const family = await declare([
    { name: 'Erase Me', statement: 'Take this down.', orgs: ['league', 'pioneers'] },
    { name: 'Keep Me', statement: 'Leave this up.' },
    { name: 'No Statement' },
  ]);
  const [me, sibling, quiet] = family as [Receipt, Receipt, Receipt];
  // The sibling's publication is approved (public), mine is waiting for review.
  assert.equal(await registry.store.site.moderate(sibling.index, { status: 'approved' }), true);

  const first = await post('/en/erase', { receipt: JSON.stringify({ receipts: family }) });
  assert.equal(first.status, 200);
  assert.ok(first.text.includes(en['erase.confirmTitle']), 'something to remove');
  const cards = new Map(
    [
      ...first.page.matchAll(
        /<section class="receipt-card" id="erase-(\d+)">([\s\S]*?)<\/section>/g,
      ),
    ].map((m) => [Number(m[1]), mainText(`<main>${m[2]}</main>`)]),
  );
  assert.deepEqual([...cards.keys()], [me.index, sibling.index, quiet.index], 'one card each');
  for (const [r, name, statement] of [
    [me, 'Erase Me', 'Take this down.'],
    [sibling, 'Keep Me', 'Leave this up.'],
  ] as const) {
    const card = cards.get(r.index) ?? '';
    assert.ok(card.includes(name) && card.includes(statement), card);
    assert.ok(card.includes(en['erase.confirmText'](number(r.index + 1))), card);
  }
  assert.ok(
    cards.get(me.index)?.includes(`${en['org.league']}, ${en['org.pioneers']}`),
    "my entry's organisations",
  );
  assert.ok(cards.get(quiet.index)?.includes(en['erase.confirmNone'](number(quiet.index + 1))));
  assert.ok(
    !cards.get(quiet.index)?.includes('No Statement'),
    'a name never published is not shown',
  );
  // Each card posts back its own code, nothing else.
  const codes = [...first.page.matchAll(/name="code" value="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(codes, [codeOf(me), codeOf(sibling)]);

  const done = await post('/en/erase/confirm', { code: codeOf(me) });
  assert.equal(done.status, 200);
  assert.ok(done.text.includes(en['erase.doneOne'](number(me.index + 1))), done.text);
  const left = await registry.store.site.publications({ limit: 1000 });
  assert.ok(!left.some((p) => p.index === me.index), 'mine is gone');
  assert.ok(
    left.some((p) => p.index === sibling.index && p.status === 'approved'),
    "my sibling's stays",
  );
  // The entry stays counted; the code now finds nothing.
  assert.equal((await check(codeOf(me))).status, 200);
  const again = await post('/en/erase/confirm', { code: codeOf(me) });
  assert.equal(again.status, 404);
  assert.ok(again.text.includes(en['erase.nothing']));
  const gone = await post('/en/erase', { receipt: codeOf(me) });
  assert.ok(gone.text.includes(en['erase.confirmTitleNone']), 'nothing shown as to remove');

  // The public one goes from the public list when its own code confirms.
  const listed = async () =>
    (await (await fetch(`${registry.url}/en/statements`)).text()).includes('Leave this up.');
  assert.equal(await listed(), true);
  assert.equal((await post('/en/erase/confirm', { code: codeOf(sibling) })).status, 200);
  assert.equal(await listed(), false);
});

test('erasing: what is not a receipt is refused with a sentence, and the form keeps the text', async () => {
  const page = await fetch(`${registry.url}/zh-hans/erase`);
  assert.equal(page.status, 200);
  for (const receipt of ['', 'hello', '{"receipts": []}', '{"index": 1}']) {
    const answer = await post('/en/erase', { receipt });
    assert.equal(answer.status, 400, receipt);
    assert.ok(answer.text.includes(en['check.malformed']), receipt);
    assert.ok(answer.page.includes(`>${receipt.replace(/"/g, '&quot;')}</textarea>`), receipt);
  }
  const confirm = await post('/en/erase/confirm', { code: 'not a code' });
  assert.equal(confirm.status, 400);
  assert.ok(confirm.text.includes(en['check.malformed']));
  const missing = await post('/en/erase/confirm', {});
  assert.equal(missing.status, 400);
});

test("a family's receipts download as one file named by their record numbers", async () => {
  const family = await declare([{ name: 'Down A' }, { name: 'Down B' }]);
  const res = await fetch(`${registry.url}/en/receipt/download`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ receipt: JSON.stringify({ receipts: family }) }).toString(),
  });
  assert.equal(res.status, 200);
  const [a, b] = family as [Receipt, Receipt];
  assert.equal(
    res.headers.get('content-disposition'),
    `attachment; filename="receipts-${a.index + 1}-${b.index + 1}.json"`,
  );
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.match(res.headers.get('content-type') ?? '', /^application\/json; charset=utf-8/);
  const body = await res.text();
  assert.ok(body.endsWith('}\n') && body.includes('\n  "receipts": ['), 'indented, one line break');
  assert.deepEqual(JSON.parse(body), { receipts: family });
});

/** The notice of an erase page: its text and its role (an alert is read out at once). */
const notice = (page: string) => /<p class="notice" role="(\w+)">/.exec(page)?.[1];

test('erasing: a refusal is an alert, a removal a status, as screen readers announce them', async () => {
  const [r] = (await declare([{ name: 'Roles', statement: 'Said once.' }])) as [Receipt];
  assert.equal(notice((await post('/en/erase', { receipt: 'nonsense' })).page), 'alert');
  assert.equal(notice((await post('/en/erase/confirm', { code: 'nonsense' })).page), 'alert');
  assert.equal(notice((await post('/en/erase/confirm', { code: codeOf(r) })).page), 'status');
  assert.equal(notice((await post('/en/erase/confirm', { code: codeOf(r) })).page), 'alert');
});

test('a form sent without its field is refused with an empty text box, not a made-up text', async () => {
  for (const path of ['/en/erase', '/en/receipt']) {
    const answer = await post(path, {});
    assert.equal(answer.status, 400, path);
    assert.ok(answer.text.includes(en['check.malformed']), path);
    assert.match(answer.page, /spellcheck="false"><\/textarea>/, `${path}: the box is empty`);
  }
  const blank = await fetch(`${registry.url}/en/receipt`);
  assert.match(await blank.text(), /spellcheck="false"><\/textarea>/);
});

test('a receipt pasted with blank lines and spaces around it is read as the receipt', async () => {
  const [r] = (await declare([{ name: 'Padded', statement: 'Spaced out.' }])) as [Receipt];
  const padded = `\n\n   ${JSON.stringify(r, null, 2)}\n  \n`;
  assert.equal((await check(padded)).status, 200);
  const erase = await post('/en/erase', { receipt: padded });
  assert.equal(erase.status, 200);
  assert.ok(erase.text.includes('Spaced out.'), 'its publication is shown');
});

test('erasing: a receipt whose secret part is cut or not base64 is left out, never a server error', async () => {
  const family = await declare([
    { name: 'Cut Salt', statement: 'Cut.' },
    { name: 'Whole Salt', statement: 'Whole.' },
  ]);
  const [cut, whole] = family as [Receipt, Receipt];
  const shortSalt = { ...cut, salt: cut.salt.slice(0, 20) };
  const notBase64 = { ...cut, salt: '!'.repeat(44) };
  for (const bad of [shortSalt, notBase64]) {
    const alone = await post('/en/erase', { receipt: JSON.stringify(bad) });
    assert.equal(alone.status, 400);
    assert.ok(alone.text.includes(en['check.malformed']));
    const withOther = await post('/en/erase', {
      receipt: JSON.stringify({ receipts: [bad, whole] }),
    });
    assert.equal(withOther.status, 200);
    assert.ok(withOther.text.includes('Whole.') && !withOther.text.includes('Cut.'));
    assert.deepEqual(
      [...withOther.page.matchAll(/id="erase-(\d+)"/g)].map((m) => Number(m[1])),
      [whole.index],
    );
  }
});

test('erasing: the code of an entry the public log does not hold yet finds nothing to remove', async () => {
  const ahead = formatReceiptCode((await treeSize()) + 10, randomBytes(32));
  const answer = await post('/en/erase', { receipt: ahead });
  assert.equal(answer.status, 200);
  assert.ok(answer.text.includes(en['erase.confirmTitleNone']), answer.text);
  assert.ok(!answer.text.includes(en['receipt.day']), 'no day: there is no entry to show');
});

test("the check page's command names the registry's public address, else the one asked for", async () => {
  const commandOf = (page: string) =>
    /<pre class="commands">([\s\S]*?)<\/pre>/.exec(page)?.[1]?.replace(/<[^>]+>/g, '') ?? '';
  const command = async (at: Registry) =>
    commandOf(await (await fetch(`${at.url}/en/receipt`)).text());
  assert.match(await command(registry), new RegExp(`--log ${registry.url}$`));
  assert.match(await command(other), /--log https:\/\/other\.example$/);
  // The page of a check posted without JavaScript names the same address.
  assert.match(commandOf((await check('nonsense', other)).page), /--log https:\/\/other\.example$/);
});

test("a large family's download has a file name of at most 100 characters before .json", async () => {
  const [one] = (await declare([{ name: 'Many' }])) as [Receipt];
  const many = Array.from({ length: 40 }, (_, i) => ({ ...one, index: 100_000 + i }));
  const res = await fetch(`${registry.url}/en/receipt/download`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ receipt: JSON.stringify({ receipts: many }) }).toString(),
  });
  assert.equal(res.status, 200);
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? '';
  assert.ok(name.startsWith('receipts-100001-100002-'), name);
  assert.equal(name.length, 100 + '.json'.length, name);
  assert.ok(name.endsWith('.json'));
});
