// Properties over every route the server has (read from the router itself, so a new route is
// covered without editing this file): random bytes, random Unicode and random repeated parameters
// never give a 5xx, every answer carries the security headers, and nothing invalid is ever logged
// as an entry.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { ed25519Signer } from '../log/index.ts';
import { Sequencer } from '../sequencer/index.ts';
import { MemoryStore } from '../store/index.ts';
import { buildApp } from './app.ts';
import { createLogger } from './logger.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

interface Route {
  readonly path: string;
  readonly methods: readonly string[];
}

/** Every route with its methods, from Fastify's own tree (`printRoutes`). */
export function routesOf(app: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[└├]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!m) continue;
    const depth = (m[1] as string).length / 4;
    const segment = m[2] as string;
    const parent = stack[depth - 1] ?? '';
    const path =
      parent.endsWith('/') && segment.startsWith('/')
        ? parent + segment.slice(1)
        : parent + segment;
    stack[depth] = path;
    stack.length = depth + 1;
    if (m[3]) routes.push({ path, methods: m[3].split(', ').filter((x) => x !== 'HEAD') });
  }
  return routes;
}

const lines: string[] = [];
const store = new MemoryStore();
let sequencer: Sequencer;
let app: FastifyInstance;
let routes: Route[];

before(async () => {
  sequencer = await Sequencer.open(store, {
    origin: 'fuzz.example/log',
    signer: ed25519Signer('fuzz.example/log', new Uint8Array(32).fill(5)),
    delayMs: 0,
  });
  app = await buildApp({
    store,
    sequencer,
    vkey: 'fuzz.example/log+00000000+AQ==',
    logger: createLogger({ write: (l: string) => lines.push(l) }),
    rateLimit: 0,
  });
  await app.ready();
  routes = routesOf(app);
});
after(async () => {
  await sequencer.close();
});

const PARAMS = [
  'q',
  'region',
  'org',
  'year',
  'before',
  'index',
  'treeSize',
  'from',
  'to',
  'id',
  'e',
  't',
  'declarants',
  'page',
  'after',
  'lang',
  '__proto__',
  'constructor',
];
const LANGS = ['en', 'zh-hans', 'zh-hant'];

/** A URL component: random Unicode, or random bytes %-escaped (often not UTF-8). */
const component = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 12 }).map(encodeURIComponent),
  fc
    .uint8Array({ maxLength: 8 })
    .map((b) => [...b].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('')),
  fc.constantFrom('', '0', '-1', '1e3', '9007199254740993', 'CN-GD', 'party', 'en'),
);
/** A query string whose parameters repeat. */
const query = fc
  .array(fc.tuple(fc.constantFrom(...PARAMS), component), { maxLength: 8 })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

const fill = (path: string, lang: string, rest: string) =>
  path.replace(':lang', lang).replace('*', rest);

function assertSafe(res: { statusCode: number; headers: Record<string, unknown> }, what: string) {
  assert.ok(res.statusCode < 500, `${what}: ${res.statusCode}`);
  assert.ok(res.headers['content-security-policy'], `${what}: security headers`);
  const location = res.headers.location;
  if (location !== undefined)
    assert.match(String(location), /^\/(?![/\\])/, `${what}: ${location}`);
}

test('GET and POST on every route with random path segments and repeated parameters: no 5xx', async () => {
  assert.ok(routes.length > 25, `routes found: ${routes.map((r) => r.path).join(' ')}`);
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...routes),
      fc.oneof(fc.constantFrom(...LANGS), component),
      component,
      query,
      async (route, lang, rest, q) => {
        for (const method of route.methods) {
          const url = `${fill(route.path, lang, rest)}?${q}`;
          assertSafe(await app.inject({ method: method as 'GET', url }), `${method} ${url}`);
        }
      },
    ),
    { numRuns: RUNS * 3 },
  );
});

test('random bodies to every POST route: no 5xx, and nothing is logged as an entry', async () => {
  const posts = routes.filter((r) => r.methods.includes('POST'));
  const body = fc.oneof(
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(s)),
    // A form whose fields repeat and hold random Unicode.
    fc
      .array(
        fc.tuple(
          fc.constantFrom('rows', 'd0.name', 'd0.nameKind', 'd0.orgs', 'd0.statement', 'action'),
          fc.string({ unit: 'binary', maxLength: 20 }),
        ),
        { maxLength: 10 },
      )
      .map((pairs) => Buffer.from(new URLSearchParams(pairs).toString())),
    // JSON shaped like a submission, with random values.
    fc
      .record({
        language: fc.oneof(fc.constantFrom('en', 'zh-Hans'), fc.string()),
        declarants: fc.array(
          fc.record({
            name: fc.string({ unit: 'binary', maxLength: 70 }),
            nameKind: fc.constantFrom('real', 'alias', 'x'),
            orgs: fc.array(fc.constantFrom('party', 'league', 'pioneers', 'army'), {
              maxLength: 3,
            }),
          }),
          { maxLength: 3 },
        ),
        extra: fc.option(fc.anything(), { nil: undefined }),
      })
      .map((o) => Buffer.from(JSON.stringify(o))),
  );
  const type = fc.constantFrom(
    'application/json',
    'application/x-www-form-urlencoded',
    'text/plain',
    'application/json; charset=latin1',
    'multipart/form-data',
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...posts),
      fc.constantFrom(...LANGS),
      body,
      type,
      async (route, lang, payload, contentType) => {
        const before = (await store.state()).treeSize;
        const url = fill(route.path, lang, 'x');
        const res = await app.inject({
          method: 'POST',
          url,
          headers: { 'content-type': contentType },
          payload,
        });
        assertSafe(res, `POST ${url} ${contentType}`);
        const grew = (await store.state()).treeSize > before;
        // Only a valid declaration adds entries, and then the answer says so.
        if (grew) assert.ok(res.statusCode === 201 || /receipt/i.test(res.body), url);
      },
    ),
    { numRuns: RUNS * 3 },
  );
});

/** Characters no name or statement may hold. */
const forbidden = fc.constantFrom(
  '\u0000',
  '\u0007',
  '\u007f',
  '\u0085',
  '\u200b',
  '\u200d',
  '\u202e',
  '\u2066',
  '\u2028',
  '\ufeff',
  '\ue000',
  '\uffff',
  '\ufffd',
  '\u3164',
  '\u{e0041}',
  '\u{f0000}',
);

test('names with a forbidden character, by API or form, are refused and never logged', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.string({ maxLength: 20 }),
      forbidden,
      fc.string({ maxLength: 20 }),
      fc.boolean(),
      async (left, bad, right, viaForm) => {
        const name = `${left}${bad}${right}`;
        const before = (await store.state()).treeSize;
        const res = viaForm
          ? await app.inject({
              method: 'POST',
              url: '/en/declare',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              payload: new URLSearchParams({
                rows: '1',
                'd0.name': name,
                'd0.nameKind': 'alias',
                'd0.orgs': 'party',
                action: 'declare',
              }).toString(),
            })
          : await app.inject({
              method: 'POST',
              url: '/api/v1/declarations',
              headers: { 'content-type': 'application/json' },
              payload: {
                language: 'en',
                declarants: [{ name, nameKind: 'alias', orgs: ['party'] }],
              },
            });
        assert.equal(res.statusCode, 400, JSON.stringify(name));
        assert.equal((await store.state()).treeSize, before);
      },
    ),
    { numRuns: RUNS * 2 },
  );
  assert.deepEqual(
    lines.filter((l) => /"level":50/.test(l)),
    [],
    'no error was logged during the run',
  );
});
