// The entry point of tuidang-verify.mjs: `tuidang verify` as one file with no dependencies, for
// anyone with Node.js 18 or later (src/web/bundle.ts builds it; every registry and mirror serves
// it at /log/tuidang-verify.mjs). Usage as for `tuidang verify`:
//   node tuidang-verify.mjs https://registry.example
import { outcomeOf, TuidangError } from '../errors/index.ts';
import { verify } from './verify.ts';

const [major = 0] = process.versions.node.split('.').map(Number);
if (major < 18) {
  console.error(`tuidang-verify needs Node.js 18 or later (this is ${process.version})`);
  process.exit(2);
}
try {
  process.exitCode = await verify.run(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof TuidangError)) throw e;
  console.error(`tuidang-verify: ${e.message}`);
  process.exitCode = outcomeOf(e).exit;
}
