// The newsletter against a real SMTP server process (smtp-server), when things go wrong: a refused
// recipient or an unreachable server answers the form with a page in its language and leaves no
// address in the log; nobody can make the server mail an address again and again; links come from
// the configuration, never from the Host header.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { smtpServer } from '../../test/smtp.ts';
import { MemoryStore } from '../store/index.ts';
import { buildApp } from './app.ts';
import { createLogger } from './logger.ts';
import { Newsletter, smtpSender } from './newsletter.ts';

const smtp = smtpServer();
const { inbox } = smtp;

const sequencer = {
  submit: async () => [],
  close: async () => {},
  poolDepth: 0,
  void: async () => 0,
};

async function setup(smtpPort: number, now: () => number = Date.now) {
  const lines: string[] = [];
  const logger = createLogger({ write: (l: string) => lines.push(l) });
  const newsletter = new Newsletter(
    new MemoryStore().site,
    smtpSender(
      `smtp://127.0.0.1:${smtpPort}?ignoreTLS=true&connectionTimeout=2000`,
      'n@registry.example',
    ),
    new Uint8Array(32).fill(1),
    { now, logger },
  );
  const app = await buildApp({
    store: new MemoryStore(),
    sequencer,
    vkey: 'n.example/log+00000000+AQ==',
    logger,
    newsletter,
    publicUrl: 'https://registry.example',
  });
  const signUp = (email: string, lang = 'en', remoteAddress = '127.0.0.1') =>
    app.inject({
      method: 'POST',
      url: `/${lang}/newsletter`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=${encodeURIComponent(email)}&consent=yes`,
      remoteAddress,
    });
  return { app, lines, signUp };
}

const waitForMail = async (n: number) => {
  for (let i = 0; i < 200 && inbox.length < n; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(inbox.length, n, 'mails received');
};

test('a refused recipient: a 400 page in the form language, no address in any log line', async () => {
  const { lines, signUp } = await setup(smtp.port());
  const res = await signUp('refused@mail.example', 'zh-hans');
  assert.equal(res.statusCode, 400);
  assert.match(res.headers['content-type'] as string, /text\/html/);
  assert.match(res.body, /拒收/);
  assert.ok(res.headers['content-security-policy']);
  assert.ok(lines.length > 0, 'the failure is logged');
  assert.equal(lines.join('').includes('refused'), false, lines.join(''));
  assert.equal(lines.join('').includes('mail.example'), false);
});

test('an unreachable SMTP server: a 503 page in the form language with Retry-After, no address logged', async () => {
  const closed = new SMTPServer({ logger: false });
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const deadPort = (closed.server.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const { lines, signUp } = await setup(deadPort);
  const res = await signUp('reader@mail.example', 'zh-hant');
  assert.equal(res.statusCode, 503);
  assert.ok(res.headers['retry-after']);
  assert.match(res.body, /暫時無法寄出/);
  assert.equal(lines.join('').includes('mail.example'), false, lines.join(''));
});

test('one confirmation mail per address a day, whoever asks; and a budget of mails per sender', async () => {
  inbox.length = 0;
  let now = Date.UTC(2026, 10, 25, 12);
  const { signUp } = await setup(smtp.port(), () => now);
  for (let i = 0; i < 4; i++)
    assert.equal((await signUp('victim@mail.example', 'en', `198.51.100.${i}`)).statusCode, 200);
  await waitForMail(1);
  now += 25 * 3600 * 1000;
  assert.equal((await signUp('Victim@mail.example', 'en', '198.51.100.9')).statusCode, 200);
  await waitForMail(2);
  // One sender, many addresses: a few mails an hour, then 429.
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++)
    statuses.push((await signUp(`reader${i}@mail.example`, 'en', '203.0.113.5')).statusCode);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
});

test('addresses with control or bidi characters are refused', async () => {
  const { signUp } = await setup(smtp.port());
  for (const email of [
    'a\u202e@mail.example',
    'a@mail.example\u202e',
    'a\u200b@mail.example',
    'a\u0000@mail.example',
  ])
    assert.equal((await signUp(email)).statusCode, 400, JSON.stringify(email));
});

test('the Atom feed takes its links from the configuration, never from the Host header', async () => {
  const { app } = await setup(smtp.port());
  const res = await app.inject({
    method: 'GET',
    url: '/en/statements/feed.xml',
    headers: { host: 'evil.example' },
  });
  assert.equal(res.statusCode, 200);
  assert.doesNotMatch(res.body, /evil\.example/);
  assert.match(res.body, /https:\/\/registry\.example\//);
  const local = await buildApp({
    store: new MemoryStore(),
    sequencer,
    vkey: 'n.example/log+00000000+AQ==',
  });
  const fallback = await local.inject({
    method: 'GET',
    url: '/en/statements/feed.xml',
    headers: { host: 'evil.example' },
  });
  assert.doesNotMatch(fallback.body, /evil\.example/);
});
