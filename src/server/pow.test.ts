import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { solveChallenge } from 'altcha-lib';
import { freshSchema, postgresUrl } from '../../test/postgres.ts';
import { PostgresStore, SqliteStore, type Store } from '../store/index.ts';
// The browser's solver: what it derives is what the server signed.
import { deriveKey } from '../web/client/scrypt-key.ts';
import { MAX_DERIVING, ProofOfWork, SCRYPT } from './pow.ts';

const seed = new Uint8Array(32).fill(4);
// Small scrypt (N = 16) and few evaluations: the tests check the rules, bench/stuffing.ts the cost.
const small = { cost: 2, scryptN: 16 } as const;

const client = '192.0.2.1';

async function solve(pow: ProofOfWork, declarants = 1): Promise<string> {
  const challenge = await pow.challenge(declarants);
  const solution = await solveChallenge({ challenge, deriveKey });
  assert.ok(solution, 'solved');
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

test('a solved challenge is accepted once; forged, altered or foreign ones are refused', async () => {
  const pow = new ProofOfWork({ seed, ...small, waitSeconds: 3 });
  const payload = await solve(pow);
  assert.equal(await pow.checkSolution(payload), true);
  assert.equal(await pow.checkSolution(payload), false, 'replayed');
  const other = new ProofOfWork({ seed: new Uint8Array(32).fill(5), ...small, waitSeconds: 3 });
  assert.equal(await pow.checkSolution(await solve(other)), false, 'signed with another secret');
  const decoded = JSON.parse(Buffer.from(await solve(pow), 'base64').toString());
  // The derived key is what the work produced: any other is refused.
  decoded.solution.derivedKey = decoded.solution.derivedKey.replace(/^./, (c: string) =>
    c === '0' ? '1' : '0',
  );
  assert.equal(
    await pow.checkSolution(Buffer.from(JSON.stringify(decoded)).toString('base64')),
    false,
    'a key not derived',
  );
  for (const junk of [undefined, '', 'not base64 json', Buffer.from('{}').toString('base64')])
    assert.equal(await pow.checkSolution(junk), false);
  // Another node with the same key accepts what this one issued.
  assert.equal(
    await new ProofOfWork({ seed, ...small, waitSeconds: 3 }).checkSolution(await solve(pow)),
    true,
  );
});

test('tickets: refused before the wait, accepted once after it, refused when forged or stale', async () => {
  let now = 1_800_000_000_000;
  const pow = new ProofOfWork({ seed, ...small, waitSeconds: 3, now: () => now });
  const ticket = pow.ticket(client);
  assert.deepEqual(await pow.checkTicket(ticket, client), { verdict: 'early', seconds: 3 });
  now += 3_000;
  assert.deepEqual(await pow.checkTicket(ticket, client), { verdict: 'ok' });
  assert.deepEqual(await pow.checkTicket(ticket, client), { verdict: 'invalid' }, 'used');
  const t2 = pow.ticket(client);
  const forged = `${t2.slice(0, -2)}${t2.endsWith('AA') ? 'AB' : 'AA'}`;
  now += 5_000;
  assert.deepEqual(await pow.checkTicket(forged, client), { verdict: 'invalid' });
  now += 3_600_000;
  assert.deepEqual(await pow.checkTicket(t2, client), { verdict: 'invalid' }, 'stale');
  assert.deepEqual(await pow.checkTicket(undefined, client), { verdict: 'invalid' });
});

test('a ticket is bound to the client and the form it was issued for', async () => {
  let now = 1_800_000_000_000;
  const pow = new ProofOfWork({ seed, ...small, waitSeconds: 3, now: () => now });
  const ticket = pow.ticket(client);
  now += 10_000;
  assert.deepEqual(await pow.checkTicket(ticket, '198.51.100.9'), { verdict: 'moved' });
  assert.deepEqual(await pow.checkTicket(ticket, client, 1, 'newsletter'), { verdict: 'moved' });
  assert.deepEqual(await pow.checkTicket(ticket, client), { verdict: 'ok' });
});

test('the wait grows with the declarants: a ticket buys time per person, not per request', async () => {
  let now = 1_800_000_000_000;
  const pow = new ProofOfWork({ seed, ...small, waitSeconds: 3, now: () => now });
  const ticket = pow.ticket(client);
  now += 3_000;
  assert.deepEqual(await pow.checkTicket(ticket, client, 50), { verdict: 'early', seconds: 147 });
  now += 147_000;
  assert.deepEqual(await pow.checkTicket(ticket, client, 50), { verdict: 'ok' });
});

test('the work grows with the declarants: a solution for one does not pass for two', async () => {
  const pow = new ProofOfWork({ seed, ...small, waitSeconds: 3 });
  assert.equal(await pow.checkSolution(await solve(pow), 2), false);
  assert.equal(await pow.checkSolution(await solve(pow, 5), 5), true);
  assert.equal(await pow.checkSolution(await solve(pow, 5), 3), true, 'more work than needed');
  // The counter to find (the work: counter + 1 scrypt evaluations) is drawn from [cost·n/2, cost·n].
  const counters: number[] = [];
  for (let i = 0; i < 20; i++) {
    const c = await pow.challenge(40);
    counters.push((await solveChallenge({ challenge: c, deriveKey }))?.counter ?? 0);
  }
  for (const c of counters) assert.ok(c >= 40 && c <= 80, `counter ${c}`);
});

test('in a cluster, a solution or ticket spent on one node is refused by the others', async () => {
  const schema = freshSchema();
  const stores = [
    new PostgresStore(postgresUrl, { schema }),
    new PostgresStore(postgresUrl, { schema }),
  ];
  try {
    let now = Date.now();
    const [a, b] = stores.map(
      (store) =>
        new ProofOfWork({
          seed,
          ...small,
          waitSeconds: 3,
          now: () => now,
          spendOnce: (token, expiresAtMs) => store.cluster.spendOnce('pow', token, expiresAtMs),
        }),
    ) as [ProofOfWork, ProofOfWork];
    const payload = await solve(a);
    assert.equal(await b.checkSolution(payload), true, 'first use, on node b');
    assert.equal(await a.checkSolution(payload), false, 'replayed on node a');
    const ticket = a.ticket(client);
    now += 3_000;
    assert.deepEqual(await a.checkTicket(ticket, client), { verdict: 'ok' });
    assert.deepEqual(await b.checkTicket(ticket, client), { verdict: 'invalid' }, 'replayed on b');
    assert.equal((await b.checkTicket(b.ticket(client), client)).verdict, 'early');
  } finally {
    for (const s of stores) await s.close();
  }
});

test('a spent ticket stays spent after a restart, on SQLite and on PostgreSQL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-pow-'));
  const schema = freshSchema();
  const opens: Array<[string, () => Store]> = [
    ['SQLite', () => new SqliteStore(dir)],
    ['PostgreSQL', () => new PostgresStore(postgresUrl, { schema })],
  ];
  try {
    for (const [name, open] of opens) {
      let now = Date.now();
      const node = (store: Store) =>
        new ProofOfWork({
          seed,
          ...small,
          waitSeconds: 3,
          now: () => now,
          spendOnce: (token, expiresAtMs) => store.cluster.spendOnce('pow', token, expiresAtMs),
        });
      const first = open();
      const pow = node(first);
      const ticket = pow.ticket(client);
      const payload = await solve(pow);
      now += 3_000;
      assert.deepEqual(await pow.checkTicket(ticket, client), { verdict: 'ok' }, name);
      assert.equal(await pow.checkSolution(payload), true, name);
      await first.close();
      const second = open();
      const restarted = node(second);
      assert.deepEqual(await restarted.checkTicket(ticket, client), { verdict: 'invalid' }, name);
      assert.equal(await restarted.checkSolution(payload), false, name);
      await second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The payload with its challenge changed by `edit`, as an attacker would send it. */
function tampered(payload: string, edit: (c: { parameters: Record<string, unknown> }) => void) {
  const decoded = JSON.parse(Buffer.from(payload, 'base64').toString());
  edit(decoded.challenge);
  return Buffer.from(JSON.stringify(decoded)).toString('base64');
}

test('the puzzle is scrypt with 4 MiB, and what the browser derives is what the server signed', async () => {
  assert.deepEqual(SCRYPT, { algorithm: 'SCRYPT', N: 4096, r: 8, p: 1, keyLength: 32 });
  const pow = new ProofOfWork({ seed, cost: 1, waitSeconds: 3 });
  const challenge = await pow.challenge(1);
  assert.equal(challenge.parameters.algorithm, 'SCRYPT');
  assert.equal(challenge.parameters.cost, 4096);
  assert.equal(challenge.parameters.memoryCost, 8);
  const solution = await solveChallenge({ challenge, deriveKey });
  assert.ok(solution);
  const payload = Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
  assert.equal(await pow.checkSolution(payload), true);
});

test('an expired challenge is refused, by the server clock', async () => {
  let now = Date.now();
  const pow = new ProofOfWork({ seed, ...small, waitSeconds: 3, now: () => now });
  const payload = await solve(pow);
  now += 601_000;
  assert.equal(await pow.checkSolution(payload), false);
});

test('a challenge for a weaker puzzle is refused, even signed with the same secret', async () => {
  // Another node (or this one before an upgrade) with a smaller N: its signature is good, its
  // work is not what this server asks.
  const weak = new ProofOfWork({ seed, cost: 2, scryptN: 16, waitSeconds: 3 });
  const strong = new ProofOfWork({ seed, cost: 2, scryptN: 32, waitSeconds: 3 });
  assert.equal(await strong.checkSolution(await solve(weak)), false);
  assert.equal(await strong.checkSolution(await solve(strong)), true);
});

test('a challenge changed after it was signed is refused', async () => {
  const pow = new ProofOfWork({ seed, ...small, waitSeconds: 3 });
  const edits: Array<[string, (c: { parameters: Record<string, unknown> }) => void]> = [
    ['declarants raised', (c) => Object.assign(c.parameters, { data: { declarants: 50 } })],
    ['expiry moved', (c) => Object.assign(c.parameters, { expiresAt: 4_000_000_000 })],
    ['key prefix', (c) => Object.assign(c.parameters, { keyPrefix: '00' })],
    ['key signature dropped', (c) => delete c.parameters.keySignature],
  ];
  for (const [what, edit] of edits) {
    const payload = tampered(await solve(pow), edit);
    assert.equal(await pow.checkSolution(payload, 1), false, what);
  }
});

test('issuing challenges is bounded: past MAX_DERIVING at once, the server says it is busy', async () => {
  const pow = new ProofOfWork({ seed, ...small, waitSeconds: 3 });
  const results = await Promise.allSettled(
    Array.from({ length: MAX_DERIVING + 8 }, () => pow.challenge(1)),
  );
  const refused = results.filter((r) => r.status === 'rejected');
  assert.equal(refused.length, 8);
  for (const r of refused) assert.equal((r.reason as { code?: string }).code, 'pool-full');
  assert.ok(await pow.challenge(1), 'free again once those are made');
});

test("a client's tickets ripen one after another: forty fetched at once do not share one wait", async () => {
  let now = 1_800_000_000_000;
  const pow = new ProofOfWork({ seed, ...small, waitSeconds: 3, now: () => now });
  const tickets = Array.from({ length: 3 }, () => pow.ticket(client));
  now += 150_000;
  assert.deepEqual(await pow.checkTicket(tickets[0], client, 50), { verdict: 'ok' });
  assert.deepEqual(await pow.checkTicket(tickets[1], client, 50), {
    verdict: 'early',
    seconds: 150,
  });
  now += 150_000;
  assert.deepEqual(await pow.checkTicket(tickets[1], client, 50), { verdict: 'ok' });
  assert.deepEqual(await pow.checkTicket(tickets[2], client, 1), { verdict: 'early', seconds: 3 });
  // Another client's tickets do not wait for these.
  const other = pow.ticket('198.51.100.7');
  now += 3_000;
  assert.deepEqual(await pow.checkTicket(other, '198.51.100.7', 1), { verdict: 'ok' });
  // A person who took longer to fill the form than the wait never waits more.
  const late = pow.ticket(client);
  now += 60_000;
  assert.deepEqual(await pow.checkTicket(tickets[2], client, 1), { verdict: 'ok' });
  assert.deepEqual(await pow.checkTicket(late, client, 1), { verdict: 'ok' });
});

test('a form sent back keeps its ticket while it counts; a forged, stale, foreign or spent one is replaced', async () => {
  let now = 1_800_000_000_000;
  const pow = new ProofOfWork({ seed, ...small, waitSeconds: 3, now: () => now });
  const ticket = pow.ticket(client);
  assert.equal(pow.ripensIn(ticket, client, 2), 6);
  now += 4_000;
  // Sent back at 4 s (a missing field): the same ticket, two seconds left for two people.
  assert.equal(pow.keepTicket(ticket, client), ticket);
  assert.equal(pow.ripensIn(ticket, client, 2), 2);
  assert.deepEqual(await pow.checkTicket(ticket, client, 2), { verdict: 'early', seconds: 2 });
  assert.equal(pow.keepTicket(ticket, client), ticket, 'an early send keeps it too');
  const forged = `${ticket.slice(0, -2)}${ticket.endsWith('AA') ? 'AB' : 'AA'}`;
  const replaced = [
    pow.keepTicket(forged, client),
    pow.keepTicket(ticket, '198.51.100.9'),
    pow.keepTicket(undefined, client),
  ];
  for (const fresh of replaced) assert.notEqual(fresh, ticket);
  // What replaces it is a ticket of the client that sent it, with a whole wait of its own.
  assert.equal(pow.ripensIn(replaced[1] as string, '198.51.100.9', 1), 3);
  assert.deepEqual(await pow.checkTicket(replaced[0], client, 1), { verdict: 'early', seconds: 3 });
  now += 2_000;
  assert.deepEqual(await pow.checkTicket(ticket, client, 2), { verdict: 'ok' });
  assert.notEqual(pow.keepTicket(ticket, client), ticket, 'spent');
  // The client's next ticket waits its turn after this one, kept or not.
  const next = pow.ticket(client);
  assert.equal(pow.ripensIn(next, client, 1), 3);
  const stale = pow.ticket(client);
  now += 3_601_000;
  assert.notEqual(pow.keepTicket(stale, client), stale, 'stale');
  assert.equal(pow.ripensIn(stale, client, 1), 0, 'no wait is promised for a stale ticket');
});
