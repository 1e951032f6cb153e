// The receipt pages' script. Pages work without it; with it, receipts are verified in the browser
// by the same code as `tuidang verify --receipt` (src/verify/receipt.ts over src/log): the
// checkpoint's signature, the entry's inclusion, and the checkpoint's consistency with the log's
// current one.
import { TuidangError } from '../../errors/index.ts';
import { decodeBase64, verifierFromKey } from '../../log/index.ts';
import { parseReceipts, type ReceiptLog, verifyReceipt } from '../../verify/receipt.ts';

async function text(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new TuidangError('unreachable', `${url}: ${res.status}`);
  return res.text();
}

/** The registry that served this page: its current checkpoint, and consistency proofs from its API. */
const thisLog: ReceiptLog = {
  checkpoint: () => text('/log/checkpoint'),
  async consistency(from, to) {
    const { consistencyProof } = JSON.parse(
      await text(`/api/v1/proof/consistency?from=${from}&to=${to}`),
    ) as { consistencyProof: string[] };
    return consistencyProof.map((h) => {
      const hash = decodeBase64(h);
      if (hash === undefined)
        throw new TuidangError('bad-proof', 'the consistency proof is not base64');
      return hash;
    });
  },
};

async function check(source: HTMLTextAreaElement, out: HTMLElement): Promise<void> {
  const say = (message: string, ok: boolean | undefined) => {
    out.textContent = message;
    out.className = ok === undefined ? '' : ok ? 'ok' : 'bad';
    out.dataset.state = ok === undefined ? 'checking' : ok ? 'verified' : 'failed';
  };
  say(out.dataset.verifying ?? '…', undefined);
  try {
    const receipts = parseReceipts(source.value);
    const vkey = (await text('/log/vkey')).trim();
    const key = verifierFromKey(vkey);
    let size = 0;
    let awaiting = false;
    for (const r of receipts) {
      const result = await verifyReceipt(r, [key], thisLog);
      size = result.checkpoint.treeSize;
      awaiting ||= result.awaitingPublication !== undefined;
    }
    // Newer than the last publication: verified against its own checkpoint; public at the next one.
    say(
      ((awaiting ? out.dataset.awaiting : undefined) ?? out.dataset.verified ?? '{size} {key}')
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
