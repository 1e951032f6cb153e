import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientKey, isLoopback } from './client-key.ts';

test('IPv6 clients are keyed by their /64 (configurable); IPv4 and IPv4-mapped by the address', () => {
  const table: Array<[string, number | undefined, string]> = [
    ['2001:db8:1:2:3:4:5:6', undefined, '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', undefined, '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:0000:0000:0000:0001', undefined, '2001:db8:1:2::/64'],
    ['2001:db8:1:2ff::1', 56, '2001:db8:1:200::/56'],
    ['2001:db8:1:2::1', 48, '2001:db8:1::/48'],
    ['fe80::1%eth0', undefined, 'fe80::/64'],
    ['192.0.2.7', undefined, '192.0.2.7'],
    ['::ffff:192.0.2.7', undefined, '192.0.2.7'],
    ['not an address', undefined, 'not an address'],
    // Tor circuits (HiddenServiceExportCircuitID haproxy): each one whole, not their shared /64.
    ['fc00:dead:beef:4dad::1:1b', undefined, 'fc00:dead:beef:4dad:0:0:1:1b'],
    ['fc00:dead:beef:4dad::1:1c', 48, 'fc00:dead:beef:4dad:0:0:1:1c'],
  ];
  for (const [address, prefix, key] of table)
    assert.equal(clientKey(address, prefix), key, `${address} /${prefix ?? 64}`);
  const rotated = new Set(
    Array.from({ length: 278 }, (_, i) => clientKey(`2001:db8:aa:bb::${i.toString(16)}`)),
  );
  assert.equal(rotated.size, 1, 'rotating inside one /64 is one client');
});

test('loopback: 127.0.0.0/8, ::1 and mapped loopback', () => {
  for (const a of ['127.0.0.1', '127.8.9.1', '::1', '::ffff:127.0.0.1'])
    assert.ok(isLoopback(a), a);
  for (const a of ['192.0.2.1', '2001:db8::1', '::ffff:192.0.2.1', 'x'])
    assert.ok(!isLoopback(a), a);
});
