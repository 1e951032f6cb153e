// Which requests get problem documents rather than pages: the API's and the log's, and no other.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isApiOrLogPath } from './problem.ts';

test('the API and the log are the paths under /api/ and /log/, nothing that only looks like them', () => {
  for (const url of ['/api/v1/declarations', '/api/', '/log/checkpoint', '/log/tile/0/000?x=1'])
    assert.equal(isApiOrLogPath(url), true, url);
  for (const url of ['/', '/en/', '/apiary/', '/logs/', '/api', '/en/log/', '//api/', '/staff/'])
    assert.equal(isApiOrLogPath(url), false, url);
});
