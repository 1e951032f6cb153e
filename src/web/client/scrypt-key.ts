// The proof of work's key derivation in the browser (src/server/pow.ts sets the puzzle): scrypt from
// @noble/hashes, audited, plain JavaScript, no WebAssembly (so the CSP stays as it is) and no
// request. altcha-lib's solver calls it once per counter it tries; bench/stuffing.ts runs this very
// function in Node and in Chromium to say what a browser pays.
import { scrypt } from '@noble/hashes/scrypt.js';
import type { DeriveKeyFunction } from 'altcha-lib';
import { TuidangError } from '../../errors/index.ts';

/** The challenge's parameters are the server's (N, r, p in ALTCHA's cost, memoryCost, parallelism). */
export const deriveKey: DeriveKeyFunction = async (parameters, salt, password) => {
  const N = parameters.cost;
  // A challenge from elsewhere must not make the page allocate without bound: 64 MiB at most.
  if (!Number.isInteger(N) || N < 2 || N > 65_536 || (parameters.memoryCost ?? 8) > 8)
    throw new TuidangError('bad-request', 'proof-of-work parameters out of range');
  return {
    derivedKey: scrypt(password, salt, {
      N,
      r: parameters.memoryCost ?? 8,
      p: parameters.parallelism ?? 1,
      dkLen: parameters.keyLength ?? 32,
    }),
  };
};
