// Every browser script bundles for the browser: nothing it imports, however indirectly, may need a
// Node module (a file of src/verify that reached node:fs once broke /static/verify.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLIENT_SCRIPTS, clientScript } from './bundle.ts';

test('each browser script bundles without Node modules', async () => {
  for (const name of CLIENT_SCRIPTS) {
    const code = await clientScript(name);
    assert.ok(code.length > 1000, `${name}.js is bundled`);
    assert.doesNotMatch(code, /require\("node:|from "node:/, `${name}.js asks for a Node module`);
  }
});
