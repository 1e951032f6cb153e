// Settings of the staff's second factor: volunteers need one unless the operator says otherwise.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, readConfig } from './config.ts';

test('TUIDANG_VOLUNTEER_2FA: required by default, optional on request, anything else refused', () => {
  assert.equal(readConfig({}).volunteerSecondFactor, true);
  assert.equal(readConfig({ TUIDANG_VOLUNTEER_2FA: 'required' }).volunteerSecondFactor, true);
  assert.equal(readConfig({ TUIDANG_VOLUNTEER_2FA: 'optional' }).volunteerSecondFactor, false);
  assert.throws(
    () => readConfig({ TUIDANG_VOLUNTEER_2FA: 'off' }),
    (e: unknown) => e instanceof ConfigError && /must be required or optional/.test(e.message),
  );
});
