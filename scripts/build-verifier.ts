// `npm run build:verifier [FILE]`: writes the single-file verifier (default ./tuidang-verify.mjs)
// and prints its SHA-256, which must equal the one a registry prints on its /about page.
import { writeFileSync } from 'node:fs';
import { bundleVerifier } from '../src/web/bundle.ts';

const file = process.argv[2] ?? 'tuidang-verify.mjs';
const { bytes, sha256 } = await bundleVerifier();
writeFileSync(file, bytes, { mode: 0o755 });
console.log(`${sha256}  ${file}`);
