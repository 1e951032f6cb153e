// The receipt pages of forms just declared, kept for a while so that sending the same form again
// (a reload of the receipt page, the back button, a double click) costs the server a lookup and a
// decryption instead of reading the receipts again and rendering a page that for fifty people is
// megabytes long. The form's submission key opens the page: entries are found by an HMAC of the
// key and the form, and sealed (gzip, then AES-256-GCM) under a key derived from it, as the
// stored receipts are (src/sequencer/idempotency.ts). The memory of a seized server thus holds no
// name or salt it could read, and a guessed form cannot be confirmed against an entry.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/** How long a page is kept at least (then until the hour), and how many bytes of sealed pages at
 * most (oldest dropped first). */
export const RECEIPT_CACHE_SECONDS = 3600;
export const RECEIPT_CACHE_BYTES = 32 * 1024 * 1024;

interface Entry {
  readonly sealed: Buffer;
  readonly expires: number;
}

const derive = (key: string, info: string) =>
  Buffer.from(hkdfSync('sha256', key, new Uint8Array(0), info, 32));

export class ReceiptPages {
  // A Map keeps insertion order: the first entries are the oldest.
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(now: () => number = Date.now, maxBytes = RECEIPT_CACHE_BYTES) {
    this.#now = now;
    this.#maxBytes = maxBytes;
  }

  /** Where the page of this form (its key, language and rows as sent) is kept. */
  #id(key: string, form: string): string {
    return createHmac('sha256', derive(key, 'tuidang/receipt-page/id/v1'))
      .update(form)
      .digest('base64');
  }

  get(key: string, form: string): string | undefined {
    const id = this.#id(key, form);
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    if (entry.expires <= this.#now()) {
      this.#drop(id, entry);
      return undefined;
    }
    const b = entry.sealed;
    const decipher = createDecipheriv(
      'aes-256-gcm',
      derive(key, 'tuidang/receipt-page/seal/v1'),
      b.subarray(0, 12),
    );
    decipher.setAuthTag(b.subarray(b.length - 16));
    const zipped = Buffer.concat([
      decipher.update(b.subarray(12, b.length - 16)),
      decipher.final(),
    ]);
    return gunzipSync(zipped).toString('utf8');
  }

  put(key: string, form: string, html: string): void {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', derive(key, 'tuidang/receipt-page/seal/v1'), iv);
    const zipped = gzipSync(html, { level: 1 });
    const sealed = Buffer.concat([iv, cipher.update(zipped), cipher.final(), cipher.getAuthTag()]);
    if (sealed.length > this.#maxBytes / 4) return;
    const id = this.#id(key, form);
    const old = this.#entries.get(id);
    if (old) this.#drop(id, old);
    // Kept an hour or two, until the hour: the expiry does not tell the second of the declaration.
    const hour = 3_600_000;
    const expires = Math.ceil((this.#now() + RECEIPT_CACHE_SECONDS * 1000) / hour) * hour;
    this.#entries.set(id, { sealed, expires });
    this.#bytes += sealed.length;
    for (const [k, e] of this.#entries) {
      if (this.#bytes <= this.#maxBytes && e.expires > this.#now()) break;
      this.#drop(k, e);
    }
  }

  #drop(id: string, entry: Entry): void {
    this.#entries.delete(id);
    this.#bytes -= entry.sealed.length;
  }
}
