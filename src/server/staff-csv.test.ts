// The volunteers' CSV upload: a stated maximum checked before anything is written; every form a
// batch that records each person once however it is sent again (the same CSV twice, a reload of
// the answer, a corrected paste, two tabs at once); an answer that says exactly what was recorded
// and keeps only the rows still to correct; receipts printed page by page; a budget per account;
// and a batch voided by an administrator in one action.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  addStaff,
  csvFormIn,
  printedReceipts,
  receiptsIn,
  type Staff,
  signIn,
} from '../../test/staff.ts';
import { ed25519Signer } from '../log/index.ts';
import { headline, type Receipt, type Submission } from '../registry/index.ts';
import { type Declarations, PoolFullError, Sequencer } from '../sequencer/index.ts';
import { MemoryStore, SqliteStore, type Store, type VolunteerBudget } from '../store/index.ts';
import { buildApp } from './app.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';

interface SetUp {
  wrap?: (real: Sequencer) => Declarations;
  store?: Store;
  budget?: VolunteerBudget;
}

async function setUp({ wrap = (s) => s, store = new MemoryStore(), budget }: SetUp = {}) {
  await addStaff(store, ['vo', 'volunteer'], ['ad', 'admin']);
  const real = await Sequencer.open(store, {
    origin: 'v.example/log',
    signer: ed25519Signer('v.example/log', new Uint8Array(32).fill(8)),
    delayMs: 0,
  });
  const logs: Array<Record<string, unknown>> = [];
  const clock = { now: Date.UTC(2026, 11, 2, 10, 15) };
  const metrics = createMetrics(() => 0);
  const app = await buildApp({
    store,
    sequencer: wrap(real),
    vkey: 'v.example/log+00000000+AQ==',
    logger: createLogger({ write: (line: string) => logs.push(JSON.parse(line)) }),
    metrics,
    volunteerBudget: budget,
    now: () => clock.now,
  });
  const vo = await signIn(app, 'vo', 'vo password 12', undefined, clock.now);
  return { store, real, app, vo, logs, clock, metrics };
}

/** A fresh CSV form's key, as the page renders it. */
const newKey = async (staff: Staff) => csvFormIn((await staff.get('/staff/declare')).body).key;
const names = (receipts: readonly Receipt[]) => receipts.map((r) => r.index).sort((a, b) => a - b);
const treeSize = async (store: Store) => (await store.state()).treeSize;

/** A sequencer that refuses the people named in `failing` (the registry busy for them). */
const refusing = (failing: Set<string>) => (s: Sequencer) => ({
  submit: (sub: Submission, o?: { idempotencyKey?: string | undefined }) =>
    failing.has(sub.declarants[0]?.name ?? '')
      ? Promise.reject(new PoolFullError('busy'))
      : s.submit(sub, o),
  void: (t: readonly number[], r: Parameters<Sequencer['void']>[1]) => s.void(t, r),
  close: () => s.close(),
  poolDepth: 0,
});

test('an 80,000-row CSV is refused before anything is written, with the stated maximum', async () => {
  const { store, real, vo } = await setUp();
  const key = await newKey(vo);
  const csv = `name,orgs\n${'A,party\n'.repeat(80_000)}`;
  const res = await vo.post('/staff/declare-csv', { channel: 'centre', csv, key });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /This CSV is larger than 256 KB, so nothing was recorded\./);
  const rows = `name,orgs\n${'A,party\n'.repeat(1001)}`;
  const many = await vo.post('/staff/declare-csv', { channel: 'centre', csv: rows, key });
  assert.equal(many.statusCode, 400);
  assert.match(many.body, /This CSV has more than 1,000 people, so nothing was recorded\./);
  assert.equal(csvFormIn(many.body).box, rows, 'the rows stay in the box');
  assert.equal(await treeSize(store), 0, 'the log did not grow');
  assert.deepEqual(
    (await store.site.auditLog(10)).map((a) => a.action),
    ['login'],
  );
  const form = await vo.get('/staff/declare');
  assert.match(
    form.body,
    /At most 1,000 people and 256 KB in one upload\./,
    'the maximum is stated',
  );
  await real.close();
});

test('the same CSV sent twice records each person once and prints the same receipts', async () => {
  const { store, real, vo } = await setUp();
  const key = await newKey(vo);
  // Two people may have the same alias: identical rows are two people.
  const csv = 'name,orgs\nA,party\nA,party\nB,league\n';
  const first = await vo.post('/staff/declare-csv', { channel: 'phone', csv, key });
  assert.equal(first.statusCode, 200);
  assert.match(first.body, /Everyone in this upload is recorded\./);
  assert.match(first.body, /Recorded now: 3 \(lines 2–4\)\./);
  assert.equal(receiptsIn(first.body).length, 0, 'the answer is small: receipts print apart');
  const second = await vo.post('/staff/declare-csv', { channel: 'phone', csv, key });
  assert.equal(second.statusCode, 200);
  assert.match(second.body, /Already recorded with this form, so not recorded again: 3/);
  assert.equal(await treeSize(store), 3);
  const a = await printedReceipts(vo, first.body);
  const b = await printedReceipts(vo, second.body);
  assert.equal(a.length, 3);
  assert.deepEqual(b, a, 'the very same receipts, salts included');
  // A new form is a new batch: the same people declared again on purpose are recorded again.
  const other = await vo.post('/staff/declare-csv', {
    channel: 'phone',
    csv,
    key: await newKey(vo),
  });
  assert.equal(other.statusCode, 200);
  assert.equal(await treeSize(store), 6);
  const declared = (await store.site.auditLog(10)).filter((x) => x.action === 'declare');
  assert.equal(declared.length, 2, 'one audit row per send that recorded someone');
  assert.equal((declared[0]?.at ?? 1) % 3600, 0, 'dated on the hour, not to the second');
  await real.close();
});

test('after a partial failure the answer keeps only the failed rows; reloading it records each person once', async () => {
  const failing = new Set(['P2', 'P5']);
  const { store, real, vo } = await setUp({ wrap: refusing(failing) });
  const key = await newKey(vo);
  const csv = `name,orgs\n${Array.from({ length: 6 }, (_, i) => `P${i},party\n`).join('')}x,nothing\n`;
  const send = { channel: 'phone', csv, key };
  const res = await vo.post('/staff/declare-csv', send);
  assert.equal(res.statusCode, 207);
  assert.match(res.body, /4 of 7 people in this upload are recorded\./);
  assert.match(res.body, /Recorded now: 4 \(lines 2–3, 5–6\)\./);
  assert.match(res.body, /Line 4 was not recorded/);
  assert.match(res.body, /Line 7 was not recorded/);
  assert.match(res.body, /Line 8 was not declared/);
  assert.match(res.body, /Only the lines that were not recorded are in the box below\./);
  assert.doesNotMatch(res.body, /upload (the whole|this|the) file again/i);
  assert.equal(csvFormIn(res.body).box, 'name,orgs\nP2,party\nP5,party\nx,nothing\n');
  assert.equal(csvFormIn(res.body).key, key, 'the same form, so the same batch');
  assert.equal(await treeSize(store), 4, 'what the answer says is what the log holds');
  const printed = await printedReceipts(vo, res.body);
  assert.equal(printed.length, 4);
  const declared = (await store.site.auditLog(10)).filter((a) => a.action === 'declare');
  assert.equal(declared.length, 1);
  assert.deepEqual(declared[0]?.target.split(',').map(Number).sort(), names(printed));

  // The browser's reload sends the same form again: nobody recorded twice, the rest recorded.
  failing.clear();
  const reload = await vo.post('/staff/declare-csv', send);
  assert.equal(reload.statusCode, 207, 'line 8 is still not valid');
  assert.match(reload.body, /Recorded now: 2 \(lines 4, 7\)\./);
  assert.match(reload.body, /Already recorded with this form, so not recorded again: 4/);
  assert.equal(await treeSize(store), 6);
  const again = await vo.post('/staff/declare-csv', send);
  assert.equal(await treeSize(store), 6, 'a second reload adds nothing');
  const all = await printedReceipts(vo, again.body);
  assert.equal(all.length, 6);
  // The same entries and salts; the checkpoint they are proved in may be a later one, as only
  // published checkpoints and the latest are kept (docs/receipts.md).
  const entryOf = (r: Receipt) => ({ index: r.index, entry: r.entry, salt: r.salt });
  assert.deepEqual(
    all.filter((r) => printed.some((p) => p.index === r.index)).map(entryOf),
    printed.map(entryOf),
    'the receipts printed first are printed again, for the same entries',
  );

  // Nothing recorded at all: 503, the rows kept.
  failing.add('Q');
  const none = await vo.post('/staff/declare-csv', {
    channel: 'phone',
    csv: 'name,orgs\nQ,party\n',
    key: await newKey(vo),
  });
  assert.equal(none.statusCode, 503);
  assert.match(none.body, /The one person in this upload is not recorded\./);
  assert.equal(csvFormIn(none.body).box, 'name,orgs\nQ,party\n');
  assert.equal(await treeSize(store), 6);
  await real.close();
});

test('a corrected paste, of the rows left or of the whole file, records only the corrected people', async () => {
  const { store, real, vo } = await setUp();
  const key = await newKey(vo);
  const bad = 'name,orgs\nA,party\nB,league\nX,nothing\nY,\n';
  const first = await vo.post('/staff/declare-csv', { channel: 'centre', csv: bad, key });
  assert.equal(first.statusCode, 207);
  assert.equal(await treeSize(store), 2);
  const left = csvFormIn(first.body);
  assert.equal(left.box, 'name,orgs\nX,nothing\nY,\n');
  // The volunteer corrects X in the box, and sends it with the form as it came back.
  const second = await vo.post('/staff/declare-csv', {
    channel: 'centre',
    csv: 'name,orgs\nX,party\nY,\n',
    key,
    done: left.done,
  });
  assert.equal(second.statusCode, 207);
  assert.equal(await treeSize(store), 3);
  assert.equal(csvFormIn(second.body).box, 'name,orgs\nY,\n');
  assert.match(second.body, /This form has recorded 3 people in all\./);
  // Then pastes the whole file, corrected, into the same form: only Y is new.
  const whole = await vo.post('/staff/declare-csv', {
    channel: 'centre',
    csv: 'name,orgs\nA,party\nB,league\nX,party\nY,pioneers\n',
    key,
    done: csvFormIn(second.body).done,
  });
  assert.equal(whole.statusCode, 200);
  assert.match(whole.body, /Recorded now: 1 \(lines 5\)\./);
  assert.match(whole.body, /Already recorded with this form, so not recorded again: 3/);
  assert.equal(await treeSize(store), 4);
  assert.equal(csvFormIn(whole.body).box, '');
  const printed = await printedReceipts(vo, whole.body);
  assert.equal(printed.length, 4, 'every receipt of the form, from all three sends');
  assert.equal(new Set(printed.map((r) => r.index)).size, 4);
  // A changed copy of the recorded rows prints nothing that was not recorded.
  const forged = await vo.post('/staff/declare-csv/receipts', {
    key,
    done: JSON.stringify([{ d: { name: 'Z', nameKind: 'alias', orgs: ['party'] }, n: 0 }]),
    page: '0',
  });
  assert.equal(forged.statusCode, 404);
  await real.close();
});

test('two tabs sending the same form at once record each person once (SQLite)', async () => {
  const store = new SqliteStore(mkdtempSync(join(tmpdir(), 'tuidang-csv-')));
  const { real, vo } = await setUp({ store });
  const key = await newKey(vo);
  const csv = `name,orgs\n${Array.from({ length: 40 }, (_, i) => `T${i},party\n`).join('')}`;
  const answers = await Promise.all(
    [1, 2, 3].map(() => vo.post('/staff/declare-csv', { channel: 'phone', csv, key })),
  );
  assert.deepEqual(
    answers.map((a) => a.statusCode),
    [200, 200, 200],
  );
  assert.equal(await treeSize(store), 40);
  const batch = await store.volunteers.batches(10);
  assert.equal(batch.length, 1);
  assert.equal(batch[0]?.entries.length, 40);
  const counts = await store.volunteers.spend('vo', batch[0]?.hour ?? 0, 0);
  assert.equal(counts.hour, 40, 'the account is counted once for each person');
  const receipts = await Promise.all(answers.map((a) => printedReceipts(vo, a.body)));
  assert.deepEqual(receipts[1], receipts[0]);
  assert.deepEqual(receipts[2], receipts[0]);
  await real.close();
  await store.close();
});

test('an account over its budget is refused with a clear page; nearing it is logged and counted', async () => {
  const { store, real, vo, logs, clock, metrics } = await setUp({
    budget: { perHour: 5, perDay: 8 },
  });
  const rows = (prefix: string, n: number) =>
    `name,orgs\n${Array.from({ length: n }, (_, i) => `${prefix}${i},party\n`).join('')}`;
  const ok = await vo.post('/staff/declare-csv', {
    channel: 'phone',
    csv: rows('A', 4),
    key: await newKey(vo),
  });
  assert.equal(ok.statusCode, 200);
  const near = logs.filter((l) => /nears its declaration budget/.test(String(l.msg)));
  assert.equal(near.length, 1);
  assert.deepEqual(
    { account: near[0]?.account, window: near[0]?.window, declared: near[0]?.declared },
    { account: 'vo', window: 'hour', declared: 4 },
  );
  const over = await vo.post('/staff/declare-csv', {
    channel: 'phone',
    csv: rows('B', 3),
    key: await newKey(vo),
  });
  assert.equal(over.statusCode, 429);
  assert.match(
    over.body,
    /Nothing was recorded: this account may declare 5 people in a clock hour and 8 in 24 hours, and 1 more now\./,
  );
  assert.equal(csvFormIn(over.body).box, rows('B', 3), 'the rows stay in the box');
  assert.equal(await treeSize(store), 4);
  // The family form spends the same budget.
  const family = await vo.post('/staff/declare', {
    channel: 'phone',
    rows: '2',
    key: /name="key" value="([^"]+)"/.exec((await vo.get('/staff/declare')).body)?.[1] ?? '',
    'd0.name': 'F0',
    'd0.nameKind': 'alias',
    'd0.orgs': 'party',
    'd1.name': 'F1',
    'd1.nameKind': 'alias',
    'd1.orgs': 'party',
    action: 'declare',
  });
  assert.equal(family.statusCode, 429);
  assert.match(family.body, /and 1 more now/);
  // The next hour allows 5 more, but the 24 hours only 4.
  clock.now += 3_600_000;
  const later = await vo.post('/staff/declare-csv', {
    channel: 'phone',
    csv: rows('C', 5),
    key: await newKey(vo),
  });
  assert.equal(later.statusCode, 429);
  assert.match(later.body, /and 4 more now/);
  assert.equal(await treeSize(store), 4);
  const text = await metrics.registry.metrics();
  assert.match(text, /tuidang_staff_budget_events_total\{window="hour",event="near"\} 1/);
  assert.match(text, /tuidang_staff_budget_events_total\{window="hour",event="over"\} 2/);
  assert.match(text, /tuidang_staff_budget_events_total\{window="day",event="over"\} 1/);
  const refused = logs.filter((l) => /was refused/.test(String(l.msg)));
  assert.equal(refused.length, 3);
  assert.equal(
    JSON.stringify(logs).includes('B0') || JSON.stringify(logs).includes('F0'),
    false,
    'no declarant in the log',
  );
  await real.close();
});

test('an administrator voids one batch in one action: the recount drops by exactly that batch', async () => {
  const { store, real, app, vo, clock } = await setUp();
  const five = await vo.post('/staff/declare-csv', {
    channel: 'centre',
    csv: `name,orgs\n${Array.from({ length: 5 }, (_, i) => `V${i},party\n`).join('')}`,
    key: await newKey(vo),
  });
  assert.equal(five.statusCode, 200);
  const two = await vo.post('/staff/declare-csv', {
    channel: 'phone',
    csv: 'name,orgs\nK0,league\nK1,league\n',
    key: await newKey(vo),
  });
  assert.equal(two.statusCode, 200);
  const before = (await store.state()).totals;
  assert.equal(headline(before), 7);
  const [latest, first] = await store.volunteers.batches(10);
  assert.ok(first && latest);

  assert.equal((await vo.get('/staff/volunteers')).statusCode, 403, 'administrators only');
  assert.equal(
    (
      await vo.post('/staff/volunteers/void', {
        batch: String(first.id),
        reason: 'flood',
        confirm: 'yes',
      })
    ).statusCode,
    403,
  );
  const ad = await signIn(app, 'ad', 'ad password 12', undefined, clock.now);
  const theirs = await ad.post('/staff/declare-csv', {
    channel: 'centre',
    csv: 'name,orgs\nW,party\n',
    key: csvFormIn(two.body).key,
  });
  assert.equal(theirs.statusCode, 403, "another account's form records nothing");
  assert.match(theirs.body, /This form belongs to another staff account/);
  const view = await ad.get('/staff/volunteers');
  assert.equal(view.statusCode, 200);
  assert.match(view.body, /<td>2026-12-02<\/td><td>vo<\/td><td class="num">7<\/td>/);
  assert.match(view.body, /Void its 5 entries/);
  assert.match(view.body, /2026-12-02 10:00/, 'to the hour');
  const unconfirmed = await ad.post('/staff/volunteers/void', {
    batch: String(first.id),
    reason: 'flood',
  });
  assert.equal(unconfirmed.statusCode, 400);
  assert.match(unconfirmed.body, /Tick the box to confirm/);
  assert.equal(headline((await store.state()).totals), 7);

  const done = await ad.post('/staff/volunteers/void', {
    batch: String(first.id),
    reason: 'flood',
    confirm: 'yes',
  });
  assert.equal(done.statusCode, 303);
  const after = (await store.state()).totals;
  assert.equal(headline(before) - headline(after), 5, 'exactly the batch');
  assert.equal(after.voided.flood, 5);
  assert.equal(after.registered.channels.centre, 0);
  assert.equal(after.registered.channels.phone, 2);
  const shown = await ad.get(String(done.headers.location));
  assert.match(shown.body, new RegExp(`Batch ${first.id} is voided: 5 entries\\.`));
  const audit = (await store.site.auditLog(10)).find((a) => a.action === 'void-batch');
  assert.equal(audit?.username, 'ad');
  assert.equal(audit?.target, `${first.id}: 5 (flood)`);
  const twice = await ad.post('/staff/volunteers/void', {
    batch: String(first.id),
    reason: 'flood',
    confirm: 'yes',
  });
  assert.equal(twice.statusCode, 409);
  assert.equal(headline((await store.state()).totals), 2);
  // The voided form records nothing more.
  const more = await vo.post('/staff/declare-csv', {
    channel: 'centre',
    csv: 'name,orgs\nV9,party\n',
    key: csvFormIn(five.body).key,
  });
  assert.equal(more.statusCode, 409);
  assert.equal(headline((await store.state()).totals), 2);
  await real.close();
});

test('the whole file of 1,000 people, pasted again with its recorded rows, fits in one form', async () => {
  const { store, real, vo } = await setUp();
  const key = await newKey(vo);
  const rows = Array.from(
    { length: 1000 },
    (_, i) =>
      `甲${i}号,alias,party;league,CN-44,${'我声明退出中共及其附属组织。'.repeat(4)}第${i}位,true`,
  );
  const head = 'name,nameKind,orgs,region,statement,publish\n';
  const wrong = [...rows.slice(0, 999), '乙,alias,nothing,,,'];
  const first = await vo.post('/staff/declare-csv', {
    channel: 'phone',
    csv: `${head}${wrong.join('\n')}\n`,
    key,
  });
  assert.equal(first.statusCode, 207);
  const whole = `${head}${[...rows.slice(0, 999), '乙,alias,party,,,'].join('\n')}\n`;
  assert.ok(Buffer.byteLength(whole) > 200_000 && Buffer.byteLength(whole) <= 256 * 1024);
  const again = await vo.post('/staff/declare-csv', {
    channel: 'phone',
    csv: whole,
    key,
    done: csvFormIn(first.body).done,
  });
  assert.equal(again.statusCode, 200);
  assert.match(again.body, /Recorded now: 1 \(lines 1001\)\./);
  assert.equal(await treeSize(store), 1000);
  await real.close();
});

test('a file written in Chinese, Simplified or Traditional, is recorded as the English one would be', async () => {
  const { store, real, vo } = await setUp();
  const hans = [
    '姓名,真名/化名,退出组织,地区,声明,公开',
    '王小明,化名,党、团,广东,我声明退出。,否',
    '李华,真名,中国共产党 少先队,北京市,我声明退出。,是',
    '张三,真实姓名,退党退团,广西壮族自治区,,同意',
    '赵四,,共青团,内蒙古自治区,,',
    '',
  ].join('\n');
  const a = await vo.post(
    '/staff/declare-csv',
    { channel: 'centre', csv: hans, key: await newKey(vo) },
    'zh-CN',
  );
  assert.equal(a.statusCode, 200, a.body);
  assert.match(a.body, /本次上传的人已全部记录。/);
  const hant = [
    '姓名,真名/化名,退出組織,地區,聲明,公開',
    '陳大文,化名,黨、團,廣東省,,否',
    '林美玲,真實姓名,中國少年先鋒隊,臺灣,我聲明退出。,是',
    '',
  ].join('\n');
  const b = await vo.post(
    '/staff/declare-csv',
    { channel: 'phone', csv: hant, key: await newKey(vo) },
    'zh-TW',
  );
  assert.equal(b.statusCode, 200, b.body);
  assert.match(b.body, /本次上傳的人已全部記錄。/);
  // The public form's own word for consent is consent here too.
  const english =
    'name,nameKind,orgs,region,statement,publish\nLi,real,party,Guangdong,I leave.,yes\n';
  const c = await vo.post('/staff/declare-csv', {
    channel: 'phone',
    csv: english,
    key: await newKey(vo),
  });
  assert.equal(c.statusCode, 200, c.body);
  const totals = (await store.state()).totals.registered;
  assert.deepEqual(totals.orgs, { party: 5, league: 4, pioneers: 2 });
  assert.deepEqual(Object.fromEntries(Object.entries(totals.regions).filter(([, n]) => n > 0)), {
    'CN-GD': 3,
    'CN-BJ': 1,
    'CN-GX': 1,
    'CN-NM': 1,
    'CN-TW': 1,
  });
  const queue = await store.site.moderationQueue(-1, 10);
  assert.deepEqual(
    queue.page.map((p) => [p.name, p.nameKind]).sort(),
    [
      ['Li', 'real'],
      ['李华', 'real'],
      ['林美玲', 'real'],
    ],
    '是 and yes are consent; 否 is not, even with a statement',
  );
  await real.close();
});

/** The words of a page a volunteer reads in Latin script, outside code, the box and their name. */
function latinWords(page: string): string[] {
  const text = (/<body>([\s\S]*)<\/body>/.exec(page)?.[1] ?? '')
    .replace(/<a [^>]*lang="en"[^>]*>[^<]*<\/a>/g, ' ')
    .replace(/<(pre|code|script|style|textarea)\b[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/g, ' ');
  // Names of things said as they are in Chinese too, and the account's own name.
  const allowed = new Set(['CSV', 'KB', 'Cookie', 'JavaScript', 'UTC', 'vo']);
  return [...new Set([...text.matchAll(/[A-Za-z]+/g)].map((w) => w[0]))].filter(
    (w) => !allowed.has(w),
  );
}

test('every refusal on the Chinese pages is in Chinese, names the line and the column, and keeps the text', async () => {
  const { store, real, vo } = await setUp();
  const cases: Array<{ csv: string; says: Record<'zh-CN' | 'zh-TW', RegExp>; status: number }> = [
    {
      csv: [
        '姓名,真名/化名,退出组织,地区,声明,公开',
        '甲,网名,党,,,',
        '乙,化名,,,,',
        '丙,化名,国民党,,,',
        '丁,化名,党,火星,,',
        '戊,化名,党,,,也许',
        ',化名,党,,,',
        '己,化名,党,,"声明,有逗号",是,多余',
        `${'庚'.repeat(65)},化名,党,,,`,
        '辛,alias,party,,,maybe',
        '壬,化名,党,,,',
        '',
      ].join('\n'),
      says: {
        'zh-CN':
          /第 2 行没有登记：<code>真名\/化名<\/code> 一栏写的是 <code>网名<\/code>[\s\S]*第 3 行没有登记：<code>退出组织<\/code> 一栏是空的[\s\S]*第 4 行没有登记：<code>退出组织<\/code> 一栏里的 <code>国民党<\/code>[\s\S]*第 5 行没有登记：<code>地区<\/code> 一栏里的 <code>火星<\/code>[\s\S]*第 6 行没有登记：<code>公开<\/code> 一栏写的是 <code>也许<\/code>[\s\S]*第 7 行没有登记：<code>姓名<\/code> 一栏是空的[\s\S]*第 8 行没有登记：这一行有 7 栏，第一行只有 6 栏[\s\S]*第 9 行没有登记：<code>姓名<\/code> 一栏太长，最多 64 个字[\s\S]*第 10 行没有登记：<code>公开<\/code> 一栏写的是 <code>maybe<\/code>/,
        'zh-TW':
          /第 2 行沒有登記：<code>真名\/化名<\/code> 一欄寫的是 <code>网名<\/code>[\s\S]*第 4 行沒有登記：<code>退出组织<\/code> 一欄裡的 <code>国民党<\/code>/,
      },
      status: 207,
    },
    {
      csv: 'name,nameKind,orgs\nA,nope,party\nB,alias,nothing\n',
      says: {
        'zh-CN': /第 2 行没有登记：<code>nameKind<\/code> 一栏写的是 <code>nope<\/code>/,
        'zh-TW': /第 3 行沒有登記：<code>orgs<\/code> 一欄裡的 <code>nothing<\/code>/,
      },
      status: 400,
    },
    {
      csv: '姓名,年龄\n甲,3\n',
      says: {
        'zh-CN': /没有记录任何内容：第一行里的 <code>年龄<\/code> 不是栏名/,
        'zh-TW': /沒有記錄任何內容：第一行裡的 <code>年龄<\/code> 不是欄名/,
      },
      status: 400,
    },
    {
      csv: '王小明,化名,党\n',
      says: {
        'zh-CN': /第一行里的 <code>王小明<\/code> 不是栏名。第一行要写各栏的名称/,
        'zh-TW': /第一行裡的 <code>王小明<\/code> 不是欄名。第一行要寫各欄的名稱/,
      },
      status: 400,
    },
    {
      csv: '姓名\n甲\n',
      says: {
        'zh-CN': /第一行里没有 <code>退出组织<\/code> 这一栏/,
        'zh-TW': /第一行裡沒有 <code>退出組織<\/code> 這一欄/,
      },
      status: 400,
    },
    {
      csv: '姓名,姓名,退出组织\n甲,乙,党\n',
      says: { 'zh-CN': /<code>姓名<\/code> 这一栏出现了两次/, 'zh-TW': /出現了兩次/ },
      status: 400,
    },
    {
      // The line named is where the unclosed quote opens, not where the file ends.
      csv: '姓名,退出组织\n"甲,党\n乙,团\n',
      says: { 'zh-CN': /第 2 行的英文双引号没有配对/, 'zh-TW': /第 2 行的半形雙引號沒有配對/ },
      status: 400,
    },
    {
      // A quote inside a cell, "" in a quoted cell and a quoted cell over two lines come first.
      csv: '姓名,退出组织\r\n他说"退"了,党\r\n"王""五",团\r\n"多\r\n行",队\r\n "李,队\r\n赵,党\r\n',
      says: { 'zh-CN': /第 6 行的英文双引号没有配对/, 'zh-TW': /第 6 行的半形雙引號沒有配對/ },
      status: 400,
    },
    {
      csv: '姓名,退出组织\n',
      says: { 'zh-CN': /第一行下面没有人/, 'zh-TW': /第一行下面沒有人/ },
      status: 400,
    },
    {
      csv: '',
      says: { 'zh-CN': /输入框是空的/, 'zh-TW': /輸入框是空的/ },
      status: 400,
    },
  ];
  for (const language of ['zh-CN', 'zh-TW'] as const) {
    for (const { csv, says, status } of cases) {
      const res = await vo.post(
        '/staff/declare-csv',
        { channel: 'phone', csv, key: await newKey(vo) },
        language,
      );
      assert.equal(res.statusCode, status, `${language}: ${csv}`);
      assert.match(res.body, says[language], `${language}: ${csv}`);
      assert.deepEqual(latinWords(res.body), [], `${language}: ${csv}`);
      if (status === 400) assert.equal(csvFormIn(res.body).box, csv, 'the text stays in the box');
      assert.doesNotMatch(res.body, /declarants\/0|must be|unknown field/, 'no developer text');
    }
    // The channel is chosen, never assumed: without it nothing is recorded and the rows stay.
    const rows = '姓名,退出组织\n甲,党\n';
    const none = await vo.post(
      '/staff/declare-csv',
      { csv: rows, key: await newKey(vo) },
      language,
    );
    assert.equal(none.statusCode, 400);
    assert.match(none.body, language === 'zh-CN' ? /请先选择这些声明是怎样收到的/ : /請先選擇/);
    assert.equal(csvFormIn(none.body).box, rows);
    assert.deepEqual(latinWords(none.body), []);
  }
  // Rows 11 of the first file is the only one recorded, once in each language.
  assert.equal(await treeSize(store), 2);
  await real.close();
});
