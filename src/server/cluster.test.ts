// Three `tuidang serve` processes on one PostgreSQL database: all accept declarations, one
// sequences. The sequencing one is killed under load, three times (a fresh node joins after each
// kill): each time another takes over, nothing acknowledged is lost, and there is never a fork.
// Which node sequences is read from each node's /metrics, and every node reports the log's size.
// The takeover time (from the kill to the first answer after it) is printed as a figure, its
// maximum over the kills; the test waits on answers, not on the clock.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Acknowledged } from '../../test/acknowledged.ts';
import { auditLog } from '../../test/audit.ts';
import { freshSchema, postgresUrl } from '../../test/postgres.ts';
import { type ServerProcess, startServer } from '../../test/server-process.ts';
import { generateKey } from '../log/index.ts';
import type { Receipt } from '../sequencer/index.ts';

const KILLS = 3;
// The metrics are served only with the operator's token (or on a listener of their own).
const METRICS_TOKEN = 'cluster-test-metrics-token';

async function metric(server: ServerProcess, name: string): Promise<number> {
  const text = await (
    await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  ).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  assert.ok(m, `${name} in /metrics`);
  return Number(m[1]);
}

test(`three nodes, one sequencer: kill it under load ${KILLS} times; another takes over, no fork, nothing lost`, {
  timeout: 180_000,
}, async (t) => {
  const key = generateKey('cluster.example/log');
  const env = {
    DATABASE_URL: postgresUrl,
    DATABASE_SCHEMA: freshSchema(),
    TUIDANG_ORIGIN: 'cluster.example/log',
    TUIDANG_SIGNER_KEY: key.skey,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'tuidang-cluster-')),
    METRICS_TOKEN,
  };
  const alive: ServerProcess[] = [];
  const names = new Map<ServerProcess, string>();
  const acknowledged = new Acknowledged();
  const dead = new Set<ServerProcess>();
  let stop = false;
  const clients: Array<Promise<void>> = [];

  const client = async (server: ServerProcess, tag: string) => {
    for (let i = 0; !stop && !dead.has(server); i++) {
      try {
        const res = await fetch(`${server.url}/api/v1/declarations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            language: 'en',
            declarants: [{ name: `${tag}${i}`, nameKind: 'alias', orgs: ['league'] }],
          }),
          signal: AbortSignal.timeout(20_000),
        });
        if (res.status !== 201) continue;
        acknowledged.add(
          ((await res.json()) as { receipts: Receipt[] }).receipts,
          names.get(server),
        );
      } catch {
        if (dead.has(server)) return; // killed
      }
    }
  };
  const addNode = async () => {
    const server = await startServer(env);
    const name = `node${names.size}`;
    names.set(server, name);
    alive.push(server);
    clients.push(client(server, `${name}a-`), client(server, `${name}b-`));
    return server;
  };
  const answered = (s: ServerProcess) => acknowledged.by.get(names.get(s) ?? '') ?? 0;
  // Whatever ends the test (a failed assertion, or its timeout, when the finally below never runs):
  // the clients stop, and every node started is killed with its process group.
  t.after(async () => {
    stop = true;
    await Promise.allSettled([...names.keys()].map((s) => s.kill('SIGKILL')));
  });

  try {
    for (let n = 0; n < 3; n++) await addNode();
    // Every node answers, those that do not sequence too.
    await acknowledged.until(() => alive.every((s) => answered(s) >= 10));

    const takeovers: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const leaders = [];
      for (const s of alive)
        if ((await metric(s, 'tuidang_sequencer_leader')) === 1) leaders.push(s);
      assert.equal(leaders.length, 1, 'exactly one node sequences');
      const leader = leaders[0] as ServerProcess;
      dead.add(leader);
      alive.splice(alive.indexOf(leader), 1);
      await leader.kill('SIGKILL');
      const killedAt = performance.now();
      // Taken over once an answer comes from a commit of the new sequencer: one beyond the size it
      // started from (an answer right after the kill may still be of the dead one's last commit).
      const startedFrom = () => {
        const sizes = alive.flatMap((s) =>
          [...s.output().matchAll(/now sequences the log, from tree size (\d+)/g)].map((m) =>
            Number(m[1]),
          ),
        );
        return sizes.length > 0 ? Math.max(...sizes) : undefined;
      };
      await acknowledged.until(() => {
        const from = startedFrom();
        return from !== undefined && (acknowledged.receipts.at(-1)?.treeSize ?? 0) > from;
      });
      takeovers.push(performance.now() - killedAt);
      const fresh = await addNode();
      await acknowledged.until(() => answered(fresh) >= 10); // the new node answers too
      for (const s of alive)
        if ((await metric(s, 'tuidang_sequencer_leader')) === 1)
          assert.match(s.output(), /this node now sequences the log/, 'the new sequencer says so');
    }
    stop = true;
    await Promise.all(clients);

    const final = (await (await fetch(`${alive[0]?.url}/api/v1/stats`)).json()) as {
      treeSize: number;
    };
    for (const s of alive)
      assert.equal(
        await metric(s, 'tuidang_log_tree_size'),
        final.treeSize,
        `${names.get(s)} reports the log's size`,
      );
    const { treeSize } = await auditLog(
      (alive[0] as ServerProcess).url,
      acknowledged.receipts,
      acknowledged.checkpoints,
    );
    assert.ok(treeSize >= acknowledged.count, 'every acknowledged declarant has an entry');
    console.log(
      `# ${acknowledged.count} acknowledged, ${KILLS} kills, takeover max ${Math.round(Math.max(...takeovers))} ms (each: ${takeovers.map(Math.round).join(', ')} ms), final tree size ${treeSize}`,
    );
  } finally {
    stop = true;
    for (const s of alive) await s.kill('SIGTERM');
  }
});
