// node:crypto for tuidang-verify.mjs on every Node.js from 18 on: crypto.hash (the one-shot digest
// src/log uses) arrived in Node 20.12 and 21.7; before that, the same digest through createHash.
// The bundle maps node:crypto here; 'crypto' below is the built-in module itself.
// biome-ignore lint/style/useNodejsImportProtocol: node:crypto is mapped to this file in the bundle
import * as crypto from 'crypto';

// biome-ignore lint/style/useNodejsImportProtocol: as above
export * from 'crypto';

type Data = string | NodeJS.ArrayBufferView;

export function hash(algorithm: string, data: Data, encoding: 'buffer'): Buffer;
export function hash(algorithm: string, data: Data, encoding?: 'hex' | 'base64'): string;
export function hash(
  algorithm: string,
  data: Data,
  encoding: 'buffer' | 'hex' | 'base64' = 'hex',
): Buffer | string {
  if (typeof crypto.hash === 'function')
    return encoding === 'buffer'
      ? crypto.hash(algorithm, data, 'buffer')
      : crypto.hash(algorithm, data, encoding);
  const digest = crypto.createHash(algorithm).update(data).digest();
  return encoding === 'buffer' ? digest : digest.toString(encoding);
}
