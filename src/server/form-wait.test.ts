// The declaration form without JavaScript, as plain HTTP form posts: its wait (the ticket,
// pow.ts) counts from the first form the person got, and an error never starts it again; a
// ticket that no longer counts is replaced, with words that say to press the button again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mainText as text } from '../../test/pages.ts';
import type { Declarations } from '../sequencer/index.ts';
import { MemoryStore } from '../store/index.ts';
import { catalogs, LOCALES, PREFIX } from '../web/i18n.ts';
import { type AppOptions, buildApp } from './app.ts';
import { createLogger } from './logger.ts';
import { ProofOfWork } from './pow.ts';

const user = '198.51.100.4';

/** A registry whose clock the test moves, with a wait of 2.5 s a person (ten for a family of
 * four), and a sequencer that counts what it is given. */
async function registry(extra: Partial<AppOptions> = {}) {
  const declared: number[] = [];
  const sequencer: Declarations = {
    submit: async (s) => {
      declared.push(s.declarants.length);
      return [];
    },
    close: async () => {},
    poolDepth: 0,
    void: async () => 0,
  };
  const clock = { now: Date.now() };
  const pow = new ProofOfWork({
    seed: new Uint8Array(32).fill(6),
    cost: 2,
    scryptN: 16,
    waitSeconds: 2.5,
    now: () => clock.now,
  });
  const app = await buildApp({
    store: new MemoryStore(),
    sequencer,
    vkey: 'example.org/log+00000000+AQ==',
    logger: createLogger({ write: () => {} }),
    pow,
    ...extra,
  });
  return { app, clock, declared };
}

type App = Awaited<ReturnType<typeof registry>>['app'];

const hidden = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

/** The form as a browser sends it: its hidden fields as rendered, and a family of `people`
 * (the first `without` of them with no organisation ticked). */
function send(app: App, page: string, people: number, lang = 'en', without = 0) {
  const rows = Array.from({ length: people }, (_, i) => {
    const row = `d${i}.name=Person+${i + 1}&d${i}.nameKind=alias`;
    return i < without ? row : `${row}&d${i}.orgs=party`;
  });
  const form = `rows=${people}&key=${encodeURIComponent(hidden(page, 'key'))}&ticket=${hidden(page, 'ticket')}`;
  return app.inject({
    method: 'POST',
    url: `/${lang}/declare`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `${form}&${rows.join('&')}&action=declare`,
    remoteAddress: user,
  });
}

const firstForm = async (app: App, lang = 'en') =>
  (await app.inject({ method: 'GET', url: `/${lang}/declare`, remoteAddress: user })).body;

test('a family of four sent back for a missing field at 7 s declares at 10 s from the first form, not 17', async () => {
  const { app, clock, declared } = await registry();
  const first = await firstForm(app);
  const ticket = hidden(first, 'ticket');
  assert.ok(ticket, 'the form carries a ticket');
  clock.now += 7_000;
  const missing = await send(app, first, 4, 'en', 1);
  assert.equal(missing.statusCode, 400);
  assert.ok(text(missing.body).includes(catalogs.en['error.chooseOrg']), 'says what is missing');
  assert.equal(hidden(missing.body, 'ticket'), ticket, 'sent back with the same ticket');
  clock.now += 1_000;
  const early = await send(app, missing.body, 4);
  assert.equal(early.statusCode, 400);
  assert.ok(
    early.body.includes(catalogs.en['declare.wait'](2)),
    'what is left of the first wait (8 s of 10 gone), not a new one',
  );
  assert.equal(hidden(early.body, 'ticket'), ticket, 'still the same ticket');
  clock.now += 2_000;
  assert.equal((await send(app, early.body, 4)).statusCode, 200, 'at 10 s from the first form');
  assert.deepEqual(declared, [4]);
});

test('adding a family member keeps the wait already served', async () => {
  const { app, clock, declared } = await registry();
  const first = await firstForm(app);
  clock.now += 4_000;
  const added = await app.inject({
    method: 'POST',
    url: '/en/declare',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `rows=1&key=${encodeURIComponent(hidden(first, 'key'))}&ticket=${hidden(first, 'ticket')}&d0.name=A&d0.nameKind=alias&d0.orgs=party&action=add`,
    remoteAddress: user,
  });
  assert.equal(hidden(added.body, 'ticket'), hidden(first, 'ticket'));
  clock.now += 1_000;
  assert.equal((await send(app, added.body, 2)).statusCode, 200, '5 s for two, from the first');
  assert.deepEqual(declared, [2]);
});

const RELOAD = /reload|refresh|刷新|重新載入|重新载入|重新加载|重新整理|重新下載|重新下载/i;

test('a ticket that no longer counts: a fresh one, the wait it needs, and no word of reloading', async () => {
  const { app, clock, declared } = await registry();
  for (const locale of LOCALES) {
    const m = catalogs[locale];
    const lang = PREFIX[locale];
    const first = await firstForm(app, lang);
    const ticket = hidden(first, 'ticket');
    const forged = first.replace(
      ticket,
      `${ticket.slice(0, -2)}${ticket.endsWith('AA') ? 'AB' : 'AA'}`,
    );
    // Forged; kept open more than an hour; fetched over another connection.
    const cases: Array<[string, () => ReturnType<typeof send>, string]> = [
      ['forged', () => send(app, forged, 1, lang), m['declare.ticketRefused'](3)],
      [
        'expired',
        async () => {
          const page = await firstForm(app, lang);
          clock.now += 3_601_000;
          return send(app, page, 1, lang);
        },
        m['declare.ticketRefused'](3),
      ],
      [
        'another connection',
        async () => {
          const page = (
            await app.inject({
              method: 'GET',
              url: `/${lang}/declare`,
              remoteAddress: '203.0.113.8',
            })
          ).body;
          return send(app, page, 1, lang);
        },
        m['declare.again'](3),
      ],
    ];
    for (const [what, sent, notice] of cases) {
      const refused = await sent();
      assert.equal(refused.statusCode, 400, `${locale}: ${what}`);
      assert.ok(refused.body.includes(notice), `${locale}: ${what} says when to press again`);
      assert.ok(
        text(refused.body).includes(m['declare.submit']),
        `${locale}: ${what} names the button`,
      );
      assert.doesNotMatch(text(refused.body), RELOAD, `${locale}: ${what}`);
      const again = hidden(refused.body, 'ticket');
      assert.ok(again && again !== ticket, `${locale}: ${what} comes back with a fresh ticket`);
      // Pressed again at once: too early; after the wait it said, accepted.
      assert.ok((await send(app, refused.body, 1, lang)).body.includes(m['declare.wait'](3)));
      clock.now += 3_000;
      assert.equal((await send(app, refused.body, 1, lang)).statusCode, 200, `${locale}: ${what}`);
    }
  }
  assert.equal(declared.length, 9);
  // The form refused for its hidden field (filled by bots) says no word of reloading either.
  for (const locale of LOCALES) {
    assert.doesNotMatch(catalogs[locale]['declare.rejected'], RELOAD, locale);
    assert.ok(catalogs[locale]['declare.rejected'].includes(catalogs[locale]['declare.submit']));
  }
});

test('a ticket spent on a send the rate limit then refused is replaced, and waits its turn', async () => {
  const { app, clock, declared } = await registry();
  // Fifty people (the most one connection may declare at once) spend the connection's budget.
  const first = await firstForm(app);
  clock.now += 125_000;
  assert.equal((await send(app, first, 50)).statusCode, 200);
  const second = await firstForm(app);
  clock.now += 3_000;
  const limited = await send(app, second, 1);
  assert.equal(limited.statusCode, 429, 'the budget is spent');
  const again = hidden(limited.body, 'ticket');
  assert.ok(again && again !== hidden(second, 'ticket'), 'the spent ticket is not sent back');
  assert.deepEqual(declared, [50]);
});
