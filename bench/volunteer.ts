// `npm run bench -- volunteer`: what a 1,000-row volunteer CSV upload costs the server. It runs
// `tuidang serve` (SQLite, no proof of work, the staff budget lifted) as a child process, signs a
// volunteer in, uploads 1,000 people, sends the same form again (a reload), uploads
// two more batches at once, then prints every page of the first batch's receipts; it prints the
// answer sizes and times and the server's resident memory and its peak (VmHWM) after each step,
// against the server's memory after serving a page of the public site.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../src/server/password.ts';
import { SqliteStore } from '../src/store/index.ts';
import { RECEIPTS_PER_PAGE } from '../src/web/index.ts';
import { SERVE_NODE_FLAGS } from '../test/server-process.ts';

const main = new URL('../src/cli/main.ts', import.meta.url).pathname;
const MiB = 1024 * 1024;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** 1,000 people with Chinese names and short statements, within the upload's 256 KB. */
function csv(prefix: string): string {
  const rows = Array.from(
    { length: 1000 },
    (_, i) =>
      `${prefix}${i}号,alias,party;league,CN-44,我声明退出中共及其附属组织，第 ${i} 位。,${i % 2 === 0}`,
  );
  return `name,nameKind,orgs,region,statement,publish\n${rows.join('\n')}\n`;
}

export async function run(_args: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tuidang-bench-volunteer-'));
  const store = new SqliteStore(dir);
  await store.site.createStaffUser({
    username: 'vo',
    role: 'volunteer',
    passwordHash: await hashPassword('volunteer password 12'),
  });
  await store.close();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [...SERVE_NODE_FLAGS, main, 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dir,
      TUIDANG_POW: 'off',
      VOLUNTEER_PER_HOUR: '0',
      VOLUNTEER_PER_DAY: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => {
        if (d.toString().includes('127.0.0.1')) resolve();
      });
      child.once('exit', () => reject(new Error('the server stopped')));
    });
    const pid = child.pid as number;
    let cookie = '';
    const request = async (path: string, form?: Record<string, string>) => {
      const res = await fetch(base + path, {
        method: form ? 'POST' : 'GET',
        redirect: 'manual',
        headers: {
          cookie,
          'accept-language': 'en',
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: form ? new URLSearchParams(form).toString() : undefined,
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        if (pair?.startsWith('tuidang_')) cookie = [cookie, pair].filter(Boolean).join('; ');
      }
      return { status: res.status, body: await res.text() };
    };
    const field = (html: string, name: string, after = '') =>
      new RegExp(`${after}[\\s\\S]*?name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
    const unescaped = (s: string) => s.replaceAll('&quot;', '"').replaceAll('&amp;', '&');

    const login = await request('/staff/');
    await request('/staff/login', {
      csrf: field(login.body, 'csrf'),
      username: 'vo',
      password: 'volunteer password 12',
    });
    await request('/en/');
    const idle = memory(pid);
    console.log(`server idle after a page: RSS ${(idle.rss / MiB).toFixed(0)} MiB`);
    const step = async (what: string, work: () => Promise<{ status: number; bytes: number }>) => {
      const t0 = performance.now();
      const r = await work();
      const m = memory(pid);
      console.log(
        `${what.padEnd(44)} ${String(r.status).padEnd(4)} ${(r.bytes / 1024).toFixed(0).padStart(6)} KB  ${((performance.now() - t0) / 1000).toFixed(2).padStart(6)} s  RSS ${(m.rss / MiB).toFixed(0)} MiB, peak ${(m.peak / MiB).toFixed(0)} MiB`,
      );
    };
    const formPage = await request('/staff/declare');
    const csrf = field(formPage.body, 'csrf');
    const upload = (key: string, text: string, done = '[]') =>
      request('/staff/declare-csv', { csrf, key, csv: text, done, channel: 'centre' });
    const keyOf = (html: string) => field(html, 'key', 'action="/staff/declare-csv"');
    const key = keyOf(formPage.body);
    let answer = '';
    await step('upload 1,000 people (answer)', async () => {
      const r = await upload(key, csv('甲'));
      answer = r.body;
      return { status: r.status, bytes: r.body.length };
    });
    await step('the same form again (a reload)', async () => {
      const r = await upload(key, csv('甲'));
      return { status: r.status, bytes: r.body.length };
    });
    await step('two more 1,000-people uploads at once', async () => {
      const keys = await Promise.all(
        [1, 2].map(async () => keyOf((await request('/staff/declare')).body)),
      );
      const rs = await Promise.all(keys.map((k, i) => upload(k, csv(i === 0 ? '乙' : '丙'))));
      return { status: rs[0]?.status ?? 0, bytes: Math.max(...rs.map((r) => r.body.length)) };
    });
    const done = unescaped(field(answer, 'done', 'action="/staff/declare-csv"'));
    const pages = Math.ceil(1000 / RECEIPTS_PER_PAGE);
    const uploads = memory(pid);
    await step(`print all ${pages} pages of receipts, one by one`, async () => {
      let bytes = 0;
      let status = 0;
      for (let page = 0; page < pages; page++) {
        const r = await request('/staff/declare-csv/receipts', {
          csrf,
          key,
          done,
          page: String(page),
        });
        bytes = Math.max(bytes, r.body.length);
        status = r.status;
      }
      return { status, bytes };
    });
    const end = memory(pid);
    console.log(
      `peak RSS of the server: ${(uploads.peak / MiB).toFixed(0)} MiB through the uploads, ${(end.peak / MiB).toFixed(0)} MiB after printing (idle ${(idle.rss / MiB).toFixed(0)} MiB); the size shown for printing is the largest page`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}
