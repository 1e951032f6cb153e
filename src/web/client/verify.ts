// The receipt pages' script. Pages work without it; with it, receipts are checked in the browser
// by the same code as `tuidang verify --receipt` (src/verify/receipt.ts over src/log): the
// checkpoint's signature, the entry's inclusion, and the checkpoint's consistency with the log's
// latest one. Results are told in the page's language (its data-* attributes), never as the
// English detail of an error.
import { TuidangError } from '../../errors/index.ts';
import { decodeBase64, verifierFromKey } from '../../log/index.ts';
import {
  parseReceipts,
  ReceiptError,
  type ReceiptLog,
  verifyReceipt,
} from '../../verify/receipt.ts';

const unreachable = (why: string) => new TuidangError('unreachable', why);

async function text(url: string): Promise<string> {
  let res: Response;
  try {
    // Never a cached copy: a receipt is checked against a checkpoint at least as new as its own.
    res = await fetch(url, { cache: 'no-store' });
  } catch (e) {
    throw unreachable(String(e));
  }
  if (!res.ok) throw unreachable(`${url}: ${res.status}`);
  return res.text();
}

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

/** Checks the receipt(s) in `source` and says the result in `out`, in the words of `messages`. */
async function check(source: string, out: HTMLElement, messages: DOMStringMap): Promise<void> {
  const number = (n: number) => new Intl.NumberFormat(document.documentElement.lang).format(n);
  const say = (message: string, state: 'checking' | 'verified' | 'pending' | 'failed') => {
    out.textContent = message;
    out.className = `check ${state === 'failed' ? 'bad' : state === 'checking' ? '' : 'ok'}`;
    out.dataset.state = state;
  };
  say(messages.checking ?? '…', 'checking');
  try {
    const receipts = parseReceipts(source);
    const verifier = await logKey();
    const said: string[] = [];
    let pending = false;
    for (const r of receipts) {
      const result = await verifyReceipt(r, [verifier], thisLog);
      const entry = number(r.index);
      if (result.awaitingPublication) {
        pending = true;
        said.push((messages.pending ?? '{entry}').replace('{entry}', entry));
      } else
        said.push(
          (messages.ok ?? '{entry} {size}')
            .replace('{entry}', entry)
            .replace('{size}', number(result.current?.treeSize ?? result.checkpoint.treeSize)),
        );
    }
    say(said.join(' '), pending ? 'pending' : 'verified');
  } catch (e) {
    const which =
      e instanceof ReceiptError
        ? PROBLEM_MESSAGE[e.problem]
        : e instanceof TuidangError && e.code === 'unreachable'
          ? 'unreachable'
          : 'malformed';
    say(messages[which] ?? which, 'failed');
  }
}

// The receipt page: every person's receipt, each reported beside it.
const page = document.getElementById('receipts');
if (page) {
  for (const receipt of page.querySelectorAll<HTMLTextAreaElement>('textarea[data-check]')) {
    const out = document.getElementById(receipt.dataset.check ?? '');
    if (out) void check(receipt.value, out, page.dataset);
  }
  const print = document.getElementById('print');
  if (print) {
    print.hidden = false;
    print.addEventListener('click', () => {
      window.print();
    });
  }
}

// The check page: a pasted receipt is checked here; a receipt code (the short form on paper) goes
// to the server, which rebuilds the receipt from the log.
const form = document.getElementById('check-form') as HTMLFormElement | null;
const input = document.getElementById('receipt-input') as HTMLTextAreaElement | null;
const out = document.getElementById('receipt-input-check');
if (form && input && out) {
  form.addEventListener('submit', (e) => {
    if (!input.value.trim().startsWith('{')) return;
    e.preventDefault();
    document.getElementById('check-answer')?.remove();
    void check(input.value, out, form.dataset);
  });
}
