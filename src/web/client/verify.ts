// The receipt pages' script. Pages work without it; with it, receipts are checked in the browser
// by the same code as `tuidang verify --receipt` (src/verify/receipt.ts over src/log): the
// checkpoint's signature, the entry's inclusion, and the checkpoint's consistency with the log's
// latest one. A receipt code typed on the check page is turned into the whole receipt here too,
// from the public log's tiles: the code (its salt) never leaves the browser. Results are told in
// the page's language (its data-* attributes), never as the English detail of an error.
import { TuidangError } from '../../errors/index.ts';
import { decodeBase64, type ReadTiles, tilePath, verifierFromKey } from '../../log/index.ts';
import { parseReceiptCode, recordNumber } from '../../registry/index.ts';
import {
  parseReceipts,
  ReceiptError,
  type ReceiptFile,
  type ReceiptLog,
  receiptFromCode,
  verifyReceipt,
} from '../../verify/receipt.ts';
import { checkSignatures } from '../../verify/signatures.ts';
import { exiting } from './exit.ts';

const unreachable = (why: string) => new TuidangError('unreachable', why);

async function get(url: string, init?: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw unreachable(String(e));
  }
  if (!res.ok) throw unreachable(`${url}: ${res.status}`);
  return res;
}

// Never a cached copy: a receipt is checked against a checkpoint at least as new as its own.
const text = async (url: string) => (await get(url, { cache: 'no-store' })).text();

/** The registry that served this page: its latest checkpoint, and consistency proofs from its API. */
const thisLog: ReceiptLog = {
  checkpoint: () => text('/log/checkpoint'),
  async consistency(from, to) {
    const { consistencyProof } = JSON.parse(
      await text(`/api/v1/proof/consistency?from=${from}&to=${to}`),
    ) as { consistencyProof: string[] };
    return consistencyProof.map((h) => {
      const hash = decodeBase64(h);
      if (hash === undefined) throw unreachable('the consistency proof is not base64');
      return hash;
    });
  },
};

/** The public log's tiles (immutable, so the browser's cache may keep them). */
const readTiles: ReadTiles = (tiles) =>
  Promise.all(
    tiles.map(async (t) => new Uint8Array(await (await get(`/log/${tilePath(t)}`)).arrayBuffer())),
  );

const PROBLEM_MESSAGE = {
  malformed: 'malformed',
  'not-signed': 'notSigned',
  'not-included': 'notIncluded',
  'other-log': 'otherLog',
  inconsistent: 'inconsistent',
} as const;

let key: Promise<ReturnType<typeof verifierFromKey>> | undefined;
const logKey = () => {
  key ??= text('/log/vkey').then((k) => verifierFromKey(k.trim()));
  return key;
};

type State = 'checking' | 'verified' | 'pending' | 'failed';
const number = (n: number) => new Intl.NumberFormat(document.documentElement.lang).format(n);
const fill = (template: string | undefined, entry: string, size = '') =>
  (template ?? '{entry}').replace('{entry}', entry).replace('{size}', size);

/**
 * The receipts a person typed or pasted: their text, or a receipt code, which is rebuilt here from
 * the public log (the entry from its bundle, a fresh inclusion proof). A message instead when the
 * code's entry is not public yet.
 */
async function receiptsOf(
  source: string,
  messages: DOMStringMap,
): Promise<{ receipts: ReceiptFile[]; fromCode: boolean } | { message: string }> {
  if (source.trim().startsWith('{')) return { receipts: parseReceipts(source), fromCode: false };
  const code = parseReceiptCode(source);
  if (code === undefined) throw new ReceiptError('receipt', 'malformed', 'not a receipt code');
  const checkpoint = await text('/log/checkpoint');
  let treeSize: number;
  try {
    treeSize = checkSignatures(checkpoint, { logKeys: [await logKey()] }).checkpoint.treeSize;
  } catch (e) {
    throw new ReceiptError('log', 'not-signed', String(e));
  }
  const entry = number(recordNumber(code.index));
  if (code.index >= treeSize) return { message: fill(messages.notYet, entry) };
  const receipt = await receiptFromCode(code, readTiles, treeSize, checkpoint);
  if (receipt === undefined) throw new ReceiptError('receipt', 'not-included', 'no such entry');
  return { receipts: [receipt], fromCode: true };
}

/**
 * Checks the receipt(s) in `source` and says the result in `out`, in the words of `messages`.
 * `wasPending`: the receipt page's earlier check found the entry not yet public.
 */
async function check(
  source: string,
  out: HTMLElement,
  messages: DOMStringMap,
  wasPending = false,
): Promise<State> {
  const say = (message: string, state: State) => {
    out.textContent = message;
    out.className = `check ${state === 'failed' ? 'bad' : state === 'checking' ? '' : 'ok'}`;
    out.dataset.state = state;
    return state;
  };
  if (!wasPending) say(messages.checking ?? '…', 'checking');
  try {
    const input = await receiptsOf(source, messages);
    if ('message' in input) return say(input.message, 'pending');
    const verifier = await logKey();
    const said: string[] = [];
    let pending = false;
    for (const r of input.receipts) {
      const result = await verifyReceipt(r, [verifier], thisLog);
      const entry = number(recordNumber(r.index));
      const size = number(result.current?.treeSize ?? result.checkpoint.treeSize);
      if (result.awaitingPublication) {
        pending = true;
        said.push(fill(messages.pending, entry));
      } else said.push(fill(wasPending ? messages.published : messages.ok, entry, size));
    }
    if (input.fromCode) said.push(messages.fromCode ?? '');
    // Chinese sentences follow each other with no space.
    const gap = document.documentElement.lang.startsWith('zh') ? '' : ' ';
    return say(said.join(gap), pending ? 'pending' : 'verified');
  } catch (e) {
    const which =
      e instanceof ReceiptError
        ? PROBLEM_MESSAGE[e.problem]
        : e instanceof TuidangError && e.code === 'unreachable'
          ? 'unreachable'
          : 'malformed';
    // A failed re-check of a receipt already shown as signed keeps saying so, and tries again.
    if (wasPending && which === 'unreachable') return 'pending';
    return say(messages[which] ?? which, 'failed');
  }
}

/**
 * Checks a receipt again until its entry is in the published log: the registry publishes at a
 * steady pace (docs/timing-privacy.md), so the first checks come soon and then less often.
 */
function followLog(source: string, out: HTMLElement, messages: DOMStringMap, attempt = 0): void {
  const seconds = Math.min(5 + attempt * 5, 60);
  setTimeout(async () => {
    if ((await check(source, out, messages, true)) === 'pending')
      followLog(source, out, messages, attempt + 1);
  }, seconds * 1000);
}

// The receipt page: every person's receipt, each reported beside it and followed until public.
const page = document.getElementById('receipts');
if (page) {
  for (const receipt of page.querySelectorAll<HTMLTextAreaElement>('textarea[data-check]')) {
    const out = document.getElementById(receipt.dataset.check ?? '');
    if (out)
      void check(receipt.value, out, page.dataset).then((state) => {
        if (state === 'pending') followLog(receipt.value, out, page.dataset);
      });
  }
  // Receipts are shown once: until they are printed or downloaded, leaving asks first (the
  // browser's own question; the exit control leaves without asking).
  let kept = false;
  window.addEventListener('beforeunload', (e) => {
    if (kept || exiting()) return;
    e.preventDefault();
    e.returnValue = '';
  });
  window.addEventListener('afterprint', () => {
    kept = true;
  });
  for (const form of page.querySelectorAll<HTMLFormElement>('form[action$="/receipt/download"]'))
    form.addEventListener('submit', () => {
      kept = true;
    });
  const print = document.getElementById('print');
  if (print) {
    print.hidden = false;
    print.addEventListener('click', () => {
      window.print();
    });
  }
}

// The check page: a pasted receipt or a typed code is checked here, and nothing is sent; the
// form posts to the server only without this script.
const form = document.getElementById('check-form') as HTMLFormElement | null;
const input = document.getElementById('receipt-input') as HTMLTextAreaElement | null;
const out = document.getElementById('receipt-input-check');
if (form && input && out) {
  for (const note of document.querySelectorAll<HTMLElement>('.local-note')) note.hidden = false;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    document.getElementById('check-answer')?.remove();
    void check(input.value, out, form.dataset);
  });
}
