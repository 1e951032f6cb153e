// Test data shared across the project's repositories lives in ../shared/testdata beside the
// checkout (CI lays it there too). It is read at test time and never copied into this repository.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function sharedTestdataPath(name: string): string {
  return join(process.env.TUIDANG_SHARED ?? resolve(root, '../shared'), 'testdata', name);
}

export function readSharedJson<T>(name: string): T {
  const path = sharedTestdataPath(name);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (cause) {
    throw new Error(
      `cannot read shared test data ${path} (set TUIDANG_SHARED to the shared/ folder)`,
      { cause },
    );
  }
}
