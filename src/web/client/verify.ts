// The receipt pages' script. Pages work without it; with it, receipts are verified in the browser
// by src/log: the checkpoint's signature, the entry's inclusion, and the checkpoint's consistency
// with the log's current one.
import {
  decodeBase64,
  hashLeaf,
  type NoteVerifier,
  openCheckpoint,
  verifierFromKey,
  verifyConsistency,
  verifyInclusion,
} from '../../log/index.ts';

interface Receipt {
  index: number;
  entry: string;
  treeSize: number;
  inclusionProof: string[];
  checkpoint: string;
}

const bytes = (s: string): Uint8Array => {
  const b = decodeBase64(s);
  if (b === undefined) throw new Error('not base64');
  return b;
};

async function text(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.text();
}

async function verifyReceipt(r: Receipt, key: NoteVerifier): Promise<number> {
  const cp = openCheckpoint(r.checkpoint, [key]);
  if (cp.treeSize !== r.treeSize) throw new Error('treeSize does not match the checkpoint');
  verifyInclusion(
    r.index,
    r.treeSize,
    hashLeaf(bytes(r.entry)),
    r.inclusionProof.map(bytes),
    cp.root,
  );
  const current = openCheckpoint(await text('/log/checkpoint'), [key], cp.origin);
  const res = await fetch(`/api/v1/proof/consistency?from=${cp.treeSize}&to=${current.treeSize}`);
  if (!res.ok) throw new Error(`consistency proof: ${res.status}`);
  const { consistencyProof } = (await res.json()) as { consistencyProof: string[] };
  verifyConsistency(
    cp.treeSize,
    current.treeSize,
    cp.root,
    current.root,
    consistencyProof.map(bytes),
  );
  return cp.treeSize;
}

async function check(source: HTMLTextAreaElement, out: HTMLElement): Promise<void> {
  const say = (message: string, ok: boolean | undefined) => {
    out.textContent = message;
    out.className = ok === undefined ? '' : ok ? 'ok' : 'bad';
    out.dataset.state = ok === undefined ? 'checking' : ok ? 'verified' : 'failed';
  };
  say(out.dataset.verifying ?? '…', undefined);
  try {
    const parsed = JSON.parse(source.value) as { receipts?: Receipt[] } & Receipt;
    const receipts = parsed.receipts ?? [parsed];
    const vkey = (await text('/log/vkey')).trim();
    const key = verifierFromKey(vkey);
    let size = 0;
    for (const r of receipts) size = await verifyReceipt(r, key);
    say(
      (out.dataset.verified ?? '{size} {key}')
        .replace('{size}', String(size))
        .replace('{key}', vkey.split('+')[0] ?? vkey),
      true,
    );
  } catch (e) {
    say((out.dataset.failed ?? '{why}').replace('{why}', (e as Error).message), false);
  }
}

const out = document.getElementById('verify');
const shown = document.getElementById('receipt-json') as HTMLTextAreaElement | null;
if (out && shown) void check(shown, out);
const form = document.getElementById('check-form') as HTMLFormElement | null;
const input = document.getElementById('receipt-input') as HTMLTextAreaElement | null;
if (form && input && out) {
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void check(input, out);
  });
}
