// Receipts posted back by a form (download, erase): the visitor's own text, parsed like a file.
import { parseReceipts, type ReceiptFile } from '../../verify/index.ts';

/** The receipts a form posted in its `receipt` field, or undefined if they are not receipts. */
export function receiptsOf(body: unknown): ReceiptFile[] | undefined {
  try {
    return parseReceipts(body instanceof URLSearchParams ? (body.get('receipt') ?? '') : '');
  } catch {
    return undefined;
  }
}
