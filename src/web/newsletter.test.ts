// The newsletter against a real SMTP server process (smtp-server): double opt-in with a link
// valid 48 hours, one-click unsubscribe headers (RFC 8058) in every mail, sending to confirmed
// subscribers only, and no address in any log line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Received, smtpServer } from '../../test/smtp.ts';
import { ed25519Signer } from '../log/index.ts';
import { Sequencer } from '../sequencer/index.ts';
import { buildApp } from '../server/app.ts';
import { createLogger } from '../server/logger.ts';
import { Newsletter, smtpSender } from '../server/newsletter.ts';
import { MemoryStore } from '../store/index.ts';

const smtp = smtpServer();
const { inbox } = smtp;

/** A mail's text with quoted-printable soft breaks and escapes undone. */
const decoded = (raw: string) =>
  raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
// Headers may be folded over several lines (RFC 5322): unfold them first.
const header = (raw: string, name: string) =>
  new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(raw.replace(/\r?\n[ \t]+/g, ''))?.[1]?.trim();
const waitForMail = async (n: number) => {
  for (let i = 0; i < 100 && inbox.length < n; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(inbox.length, n, 'mails received');
};

test('sign up, confirm within 48 hours, receive, unsubscribe in one click', async () => {
  const lines: string[] = [];
  const logger = createLogger({ write: (l: string) => lines.push(l) });
  let now = Date.UTC(2026, 10, 25, 12);
  const store = new MemoryStore();
  const newsletter = new Newsletter(
    store.site,
    smtpSender(
      `smtp://127.0.0.1:${smtp.port()}?ignoreTLS=true`,
      'tuidang <newsletter@registry.example>',
    ),
    new Uint8Array(32).fill(1),
    () => now,
  );
  const sequencer = await Sequencer.open(store, {
    origin: 'n.example/log',
    signer: ed25519Signer('n.example/log', new Uint8Array(32).fill(2)),
    delayMs: 0,
  });
  const app = await buildApp({
    store,
    sequencer,
    vkey: 'n.example/log+00000000+AQ==',
    logger,
    newsletter,
    publicUrl: 'https://registry.example',
  });
  const form = (body: string, lang = 'en') =>
    app.inject({
      method: 'POST',
      url: `/${lang}/newsletter`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: body,
    });

  const noConsent = await form('email=reader%40mail.example');
  assert.equal(noConsent.statusCode, 400);
  assert.match(noConsent.body, /Please agree to the terms/);
  assert.match(noConsent.body, /value="reader@mail.example"/, 'what was typed is kept');
  assert.equal((await form('email=not-an-address&consent=yes')).statusCode, 400);

  const ok = await form('email=reader%40mail.example&consent=yes');
  assert.equal(ok.statusCode, 200);
  assert.match(ok.body, /a mail to confirm is on its way/);
  await waitForMail(1);
  const confirmation = inbox[0] as Received;
  assert.deepEqual(confirmation.to, ['reader@mail.example']);
  assert.match(
    header(confirmation.raw, 'List-Unsubscribe') ?? '',
    /^<https:\/\/registry\.example\/newsletter\/unsubscribe\?id=1&t=[\w-]+>$/,
  );
  assert.equal(header(confirmation.raw, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
  // The link opens a page in the language of the sign-up, whatever the browser that opens it asks.
  const link =
    /https:\/\/registry\.example(\/en\/newsletter\/confirm\?\S+)/.exec(
      decoded(confirmation.raw),
    )?.[1] ?? '';
  assert.notEqual(link, '');
  assert.equal(
    (await app.inject({ method: 'GET', url: `${link}x` })).statusCode,
    400,
    'an altered link',
  );
  const confirmed = await app.inject({
    method: 'GET',
    url: link,
    headers: { 'accept-language': 'zh-CN' },
  });
  assert.equal(confirmed.statusCode, 200);
  assert.match(confirmed.body, /<html lang="en">[\s\S]*Your subscription is confirmed/);
  const stored = await store.site.subscriber(1);
  assert.equal(stored?.termsVersion, '1', 'the terms version consented to is stored');
  assert.equal((stored?.expires ?? 1) % 3600, 0, 'its link expires on the hour: no second kept');

  // A second subscriber, signed up on the Chinese page, lets the link expire.
  assert.equal((await form('email=late%40mail.example&consent=yes', 'zh-hans')).statusCode, 200);
  await waitForMail(2);
  const late =
    /https:\/\/registry\.example(\/zh-hans\/newsletter\/confirm\?\S+)/.exec(
      decoded((inbox[1] as Received).raw),
    )?.[1] ?? '';
  now += 49 * 3600 * 1000;
  const expired = await app.inject({
    method: 'GET',
    url: late,
    headers: { 'accept-language': 'en' },
  });
  assert.equal(expired.statusCode, 400);
  assert.match(expired.body, /<html lang="zh-Hans">[\s\S]*这个链接已过期或无效/);
  // A link mailed before links named the language: the page is in the browser's language.
  const old = await app.inject({
    method: 'GET',
    url: late.replace('/zh-hans', ''),
    headers: { 'accept-language': 'en' },
  });
  assert.match(old.body, /<html lang="en">[\s\S]*expired/);

  const sent = await newsletter.sendToAll(
    'https://registry.example',
    'News',
    'The count passed a milestone.',
    1000,
  );
  assert.equal(sent, 1, 'confirmed subscribers only');
  await waitForMail(3);
  const news = inbox[2] as Received;
  assert.deepEqual(news.to, ['reader@mail.example']);
  const unsubscribe =
    /^<https:\/\/registry\.example(\/newsletter\/unsubscribe\?[^>]+)>$/.exec(
      header(news.raw, 'List-Unsubscribe') ?? '',
    )?.[1] ?? '';
  const click = await app.inject({
    method: 'POST',
    url: unsubscribe,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
    payload: 'List-Unsubscribe=One-Click',
  });
  assert.equal(click.statusCode, 200);
  assert.match(click.body, /You are unsubscribed/);
  assert.equal(await newsletter.sendToAll('https://registry.example', 'More', 'text', 1000), 0);
  // Unsubscribed: the address is deleted at once; the link still says so, once more.
  assert.equal(await store.site.subscriber(1), undefined, 'the address is gone');
  const twice = await app.inject({
    method: 'POST',
    url: unsubscribe,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
    payload: 'List-Unsubscribe=One-Click',
  });
  assert.match(twice.body, /You are unsubscribed/);
  // The one whose link expired is deleted by the next sweep (or the next sign-up).
  assert.equal(await newsletter.expire(), 1);
  assert.equal(await store.site.subscriber(2), undefined, 'the unconfirmed address is gone');

  assert.equal(lines.join('').includes('mail.example'), false, 'no address in the logs');
  await sequencer.close();
});
