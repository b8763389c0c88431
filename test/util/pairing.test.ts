import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPairingCode, pairingCode } from '../../src/main/engine/identity/pairing';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

test('pairing code is six digits and the same from both sides', () => {
  const code = pairingCode(A, B);
  assert.match(code, /^\d{6}$/);
  assert.equal(pairingCode(B, A), code);
  assert.equal(pairingCode(A.toUpperCase(), B), code);
});

test('pairing code changes when either fingerprint changes', () => {
  const codes = new Set<string>();
  for (let i = 0; i < 50; i++) codes.add(pairingCode(A, i.toString(16).padStart(64, '0')));
  assert.ok(codes.size >= 48, `expected distinct codes, got ${codes.size}`);
});

test('formatPairingCode groups the digits', () => {
  assert.equal(formatPairingCode('012345'), '012 345');
});
