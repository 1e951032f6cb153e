#!/usr/bin/env node
// The `tuidang` command. The code is TypeScript run natively by Node 24 (type stripping); the
// project's npm scripts put Node 24 on the path (dev dependency `node@24`).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 24 && !(major === 22 && minor >= 18)) {
  console.error(
    `tuidang needs Node.js 24 (this is ${process.version}). Run it through npm (npm run tuidang -- …, npm start) to use the project's own Node 24; to check a registry with any Node.js from 18 on, use tuidang-verify.mjs from its /log/ instead.`,
  );
  process.exit(2);
}
await import('../src/cli/main.ts');
