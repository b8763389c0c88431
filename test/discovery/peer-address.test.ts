import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatHostPort, parsePeerAddress } from '../../src/main/engine/discovery/peer-address';
import { DEFAULT_PORT } from '../../src/shared/protocol';

test('host[:port] forms parse, with the default port when none is given', () => {
  assert.deepEqual(parsePeerAddress('192.168.1.20'), { host: '192.168.1.20', port: DEFAULT_PORT });
  assert.deepEqual(parsePeerAddress(' 192.168.1.20:4000 '), { host: '192.168.1.20', port: 4000 });
  assert.deepEqual(parsePeerAddress('Desk.local:5'), { host: 'desk.local', port: 5 });
  assert.deepEqual(parsePeerAddress('fe80::1%eth0'), { host: 'fe80::1%eth0', port: DEFAULT_PORT });
  assert.deepEqual(parsePeerAddress('[fe80::1%eth0]:9000'), { host: 'fe80::1%eth0', port: 9000 });
  assert.deepEqual(parsePeerAddress('[::1]'), { host: '::1', port: DEFAULT_PORT });
});

test('bad addresses are refused with E_INVALID_ARGUMENT', () => {
  for (const bad of ['', ':', 'host:', 'host:0', 'host:65536', 'host:12ab', 'a b', '[nothost]:1', '[::1]:x', 'x'.repeat(301), 'a:b:c:zz']) {
    assert.throws(() => parsePeerAddress(bad), { code: 'E_INVALID_ARGUMENT' }, JSON.stringify(bad));
  }
});

test('IPv6 prints back in brackets', () => {
  assert.equal(formatHostPort({ host: 'fe80::1%eth0', port: 1 }), '[fe80::1%eth0]:1');
  assert.equal(formatHostPort({ host: '10.0.0.1', port: 1 }), '10.0.0.1:1');
});
