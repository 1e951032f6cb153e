// fast-check generators shared by tests.
import fc from 'fast-check';
import { CHANNELS, dayString, ORGS } from '../src/registry/entry.ts';
import { REGIONS } from '../src/registry/regions.ts';

/** A random declaration entry. */
export const arbDeclaration = fc.record({
  kind: fc.constant('declaration' as const),
  day: fc.integer({ min: 12000, max: 25000 }).map(dayString),
  orgs: fc.subarray([...ORGS], { minLength: 1 }),
  channel: fc.constantFrom(...CHANNELS),
  region: fc.option(fc.constantFrom(...REGIONS.map(([c]) => c)), { nil: undefined }),
  groupId: fc.option(fc.uint8Array({ minLength: 16, maxLength: 16 }), { nil: undefined }),
  commitment: fc.uint8Array({ minLength: 32, maxLength: 32 }),
});
