// Requests sent again with the same Idempotency-Key, on every backend: one in flight is shared, one
// answered is rebuilt from its sealed record (see idempotency.ts), never logged twice.
import { TuidangError } from '../errors/index.ts';
import type { Receipt, Submission } from '../registry/index.ts';
import type { IdempotencyRecord, Store } from '../store/index.ts';
import { IdempotencyConflictError, type IdempotencyInfo } from './declarations.ts';
import {
  checkKey,
  idempotencyExpiry,
  keyIdOf,
  requestHashOf,
  seal,
  unseal,
} from './idempotency.ts';
import { type ReceiptCore, receipts } from './prepare.ts';

/** Requests with an idempotency key that are not answered yet, by key id. */
export type Inflight = Map<string, { requestHash: string; promise: Promise<Receipt[]> }>;

/**
 * Every sequencer's `submit`: runs `fresh` for a request without an idempotency key, and for one
 * with a key unless an earlier request with the key is in flight (then its answer is shared) or
 * answered (then `lookup` rebuilds it). Another request under a known key is an
 * {@link IdempotencyConflictError}.
 */
export function idempotent(
  inflight: Inflight,
  key: string | undefined,
  request: Submission,
  lookup: (info: IdempotencyInfo) => Promise<Receipt[] | undefined>,
  fresh: (info: IdempotencyInfo | undefined) => Promise<Receipt[]>,
): Promise<Receipt[]> {
  if (key === undefined) return fresh(undefined);
  checkKey(key);
  const info = { key, keyId: keyIdOf(key), requestHash: requestHashOf(key, request) };
  const running = inflight.get(info.keyId);
  if (running !== undefined) {
    return running.requestHash === info.requestHash
      ? running.promise
      : Promise.reject(new IdempotencyConflictError());
  }
  const promise = (async () => (await lookup(info)) ?? fresh(info))();
  inflight.set(info.keyId, { requestHash: info.requestHash, promise });
  const forget = () => inflight.delete(info.keyId);
  promise.then(forget, forget);
  return promise;
}

/**
 * Receipts for entries committed at `treeSize`, from the store: the commit's own checkpoint is
 * kept only until the next commit, unless it was published, so the receipts are those of the first
 * checkpoint kept after it (the same entries and salts).
 */
export async function storedReceipts(
  store: Store,
  treeSize: number,
  cores: readonly ReceiptCore[],
): Promise<Receipt[]> {
  const checkpoint = await store.checkpointFrom(treeSize);
  if (checkpoint === undefined)
    throw new TuidangError('corrupt', `no checkpoint stored from tree size ${treeSize}`);
  return receipts(store.readTiles, checkpoint.treeSize, checkpoint.note, cores);
}

/** The receipts of an earlier request from its sealed record, or undefined if there is none. */
export async function replayRecord(
  store: Store,
  info: IdempotencyInfo,
  now: number,
): Promise<Receipt[] | undefined> {
  const record = await store.idempotency(info.keyId);
  if (record === undefined || record.expires < now) return undefined;
  if (record.requestHash !== info.requestHash) throw new IdempotencyConflictError();
  return storedReceipts(store, record.treeSize, unseal(info.key, record.sealed));
}

/**
 * The receipts a request with this idempotency key was answered with, read from its sealed record
 * without ever logging anything (undefined if there is none, or it expired); an
 * {@link IdempotencyConflictError} if the key was used for another request.
 */
export function replayReceipts(
  store: Store,
  key: string,
  request: Submission,
  now: number = Math.floor(Date.now() / 1000),
): Promise<Receipt[] | undefined> {
  checkKey(key);
  return replayRecord(
    store,
    { key, keyId: keyIdOf(key), requestHash: requestHashOf(key, request) },
    now,
  );
}

/** The sealed record of a request's receipts, kept for its retries. */
export function sealRecord(
  info: IdempotencyInfo,
  cores: readonly ReceiptCore[],
  treeSize: number,
  now: number,
): IdempotencyRecord {
  return {
    keyId: info.keyId,
    requestHash: info.requestHash,
    treeSize,
    sealed: seal(info.key, cores),
    expires: idempotencyExpiry(now),
  };
}
