// The add-checkpoint request body of c2sp.org/tlog-witness, as a witness reads it from any client.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeBase64 } from './note.ts';
import { formatAddCheckpoint, MAX_PROOF_LINES, parseAddCheckpoint } from './witness-protocol.ts';

const checkpoint =
  'example.org/log\n9\nAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=\n\n— example.org/log AAAA\n';
const hashes = (n: number) => Array.from({ length: n }, (_, i) => new Uint8Array(32).fill(i + 1));

test('a request reads back as it was written, with 0, 1 and 63 proof lines', () => {
  for (const n of [0, 1, MAX_PROOF_LINES]) {
    const body = formatAddCheckpoint({ oldSize: 5, proof: hashes(n), checkpoint });
    const r = parseAddCheckpoint(body);
    assert.equal(r.oldSize, 5);
    assert.deepEqual(r.proof.map(encodeBase64), hashes(n).map(encodeBase64));
    assert.equal(r.checkpoint, checkpoint);
  }
  assert.equal(
    formatAddCheckpoint({ oldSize: 0, proof: hashes(1), checkpoint }),
    `old 0\n${encodeBase64(new Uint8Array(32).fill(1))}\n\n${checkpoint}`,
  );
  assert.equal(parseAddCheckpoint(`old 0\n\n${checkpoint}`).oldSize, 0);
  assert.equal(
    parseAddCheckpoint(`old ${Number.MAX_SAFE_INTEGER}\n\n${checkpoint}`).oldSize,
    Number.MAX_SAFE_INTEGER,
  );
});

test('each malformed request is refused with what is wrong', () => {
  const line = encodeBase64(new Uint8Array(32));
  const cases: Array<[string, string]> = [
    [`old 5\n${checkpoint}`.replace('\n\n', '\n'), 'no empty line before the checkpoint'],
    [`old 05\n\n${checkpoint}`, 'the first line must be "old <size>"'],
    [`old -1\n\n${checkpoint}`, 'the first line must be "old <size>"'],
    [`old 5 \n\n${checkpoint}`, 'the first line must be "old <size>"'],
    [`Old 5\n\n${checkpoint}`, 'the first line must be "old <size>"'],
    [`\nold 5\n\n${checkpoint}`, 'the first line must be "old <size>"'],
    [`xold 5\n\n${checkpoint}`, 'the first line must be "old <size>"'],
    [`\n\n${checkpoint}`, 'the first line must be "old <size>"'],
    [`old 9007199254740992\n\n${checkpoint}`, 'old size is too large'],
    [
      `old 5\n${`${line}\n`.repeat(MAX_PROOF_LINES + 1)}\n${checkpoint}`,
      `more than ${MAX_PROOF_LINES} proof lines`,
    ],
    [`old 5\n${line.slice(4)}\n\n${checkpoint}`, 'a proof line is not base64 of a 32-byte hash'],
    [
      `old 5\n${encodeBase64(new Uint8Array(33))}\n\n${checkpoint}`,
      'a proof line is not base64 of a 32-byte hash',
    ],
    [`old 5\n${line}!\n\n${checkpoint}`, 'a proof line is not base64 of a 32-byte hash'],
  ];
  for (const [body, why] of cases)
    assert.throws(
      () => parseAddCheckpoint(body),
      {
        code: 'malformed-note',
        message: `malformed add-checkpoint request: ${why}`,
      },
      JSON.stringify(body.slice(0, 30)),
    );
});
