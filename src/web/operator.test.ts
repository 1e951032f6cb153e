// The first screen says what this is and who runs it; /about anchors the key and the code.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mainText as text } from '../../test/pages.ts';
import { readConfig } from '../config/index.ts';
import { openNote, verifierFromKey } from '../log/index.ts';
import { type Registry, startRegistry } from '../server/index.ts';
import { catalogs, LOCALES, PREFIX } from './i18n.ts';

const base = {
  PORT: '0',
  DATA_DIR: ':memory:',
  TUIDANG_POW: 'off',
  TUIDANG_PUBLISH_INTERVAL: '0',
  TUIDANG_ORIGIN: 'operator.example/log',
  LOG_LEVEL: 'silent',
};
let named: Registry;
let anonymous: Registry;
before(async () => {
  named = await startRegistry(
    readConfig({
      ...base,
      TUIDANG_OPERATOR: 'Example Association',
      TUIDANG_CONTACT: 'contact@operator.example',
      TUIDANG_SOURCE_URL: 'https://code.example/tuidang',
      TUIDANG_SOURCE_COMMIT: '0123456789abcdef0123456789abcdef01234567',
    }),
  );
  anonymous = await startRegistry(readConfig({ ...base, TUIDANG_SOURCE_COMMIT: 'abcdef1' }));
});
after(async () => {
  await named?.close();
  await anonymous?.close();
});

const get = async (r: Registry, path: string) => (await fetch(`${r.url}${path}`)).text();

test('the English home names the Chinese Communist Party in its first 300 characters', async () => {
  assert.match(text(await get(named, '/en/')).slice(0, 300), /Chinese Communist Party/);
});

test('each home names the operator and the contact, or says none was published', async () => {
  for (const locale of LOCALES) {
    const m = catalogs[locale];
    const home = await get(named, `/${PREFIX[locale]}/`);
    assert.ok(home.includes(m['operator.runBy']('Example Association')), locale);
    assert.ok(home.includes('href="mailto:contact@operator.example"'), locale);
    const bare = await get(anonymous, `/${PREFIX[locale]}/`);
    assert.ok(bare.includes(m['operator.none']), locale);
    assert.ok(bare.includes(m['operator.noContact']), locale);
  }
});

test('/about shows the key that signs /log/checkpoint, the origin, and the source with its commit', async () => {
  const checkpoint = await get(named, '/log/checkpoint');
  const origin = checkpoint.split('\n')[0];
  const signer = /^— (\S+) /m.exec(checkpoint)?.[1];
  for (const locale of LOCALES) {
    const about = await get(named, `/${PREFIX[locale]}/about`);
    const vkey = /<code class="key" id="vkey">([^<]+)<\/code>/.exec(about)?.[1] ?? '';
    assert.equal(vkey, named.vkey);
    assert.equal(vkey.split('+')[0], signer, 'the key is the checkpoint signer');
    // Not only its name: the key /about shows verifies the signature of /log/checkpoint.
    assert.equal(openNote(checkpoint, [verifierFromKey(vkey)]).verified.length, 1);
    assert.ok(about.includes(`<code id="origin">${origin}</code>`));
    assert.ok(about.includes('href="https://code.example/tuidang"'));
    assert.ok(about.includes('0123456789abcdef0123456789abcdef01234567'));
    const bare = await get(anonymous, `/${PREFIX[locale]}/about`);
    assert.ok(bare.includes(catalogs[locale]['about.noSource']));
  }
});

test('a contact that is neither an email nor an https address is refused at start', () => {
  assert.throws(
    () => readConfig({ ...base, TUIDANG_CONTACT: 'javascript:alert(1)' }),
    /TUIDANG_CONTACT=.* must be an email address or an https:\/\/ address/,
  );
});
