// The entry point of tuidang-verify.mjs: `tuidang verify` as one file with no dependencies, for
// anyone with Node.js 18 or later (src/web/bundle.ts builds it; every registry and mirror serves
// it at /log/tuidang-verify.mjs). Usage as for `tuidang verify`:
//   node tuidang-verify.mjs https://registry.example
// The file is also its own verification thread: the main thread starts it again as a worker.
import { isMainThread } from 'node:worker_threads';
import { outcomeOf, TuidangError } from '../errors/index.ts';
import { useWorkerScript } from '../verify/index.ts';
// Off the main thread, this module does the verification thread's work; on it, nothing.
import '../verify/verify-worker.ts';
import { help, verify } from './verify.ts';

const [major = 0] = process.versions.node.split('.').map(Number);
if (isMainThread) {
  if (major < 18) {
    console.error(`tuidang-verify needs Node.js 18 or later (this is ${process.version})`);
    process.exit(2);
  }
  useWorkerScript(new URL(import.meta.url));
  const args = process.argv.slice(2);
  try {
    // The options are `tuidang verify`'s; the command that runs them here is this file.
    if (args.includes('--help') || args.includes('-h'))
      console.log(help.replaceAll('tuidang verify', 'node tuidang-verify.mjs'));
    else process.exitCode = await verify.run(args);
  } catch (e) {
    if (!(e instanceof TuidangError)) throw e;
    console.error(`tuidang-verify: ${e.message}`);
    process.exitCode = outcomeOf(e).exit;
  }
}
