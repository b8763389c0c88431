import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAnnouncement, encodeAnnouncement, MAX_PACKET_BYTES, type Announcement } from '../../src/main/engine/discovery/announcement';

const base: Announcement = {
  kind: 'announce',
  query: true,
  fingerprint: 'ab'.repeat(32),
  instanceId: '0123456789abcdef',
  name: 'Kitchen laptop',
  deviceType: 'laptop',
  port: 53417,
  protocolVersion: 1,
};

const wire = (o: Record<string, unknown>) => Buffer.from(JSON.stringify(o));
const good = () => JSON.parse(encodeAnnouncement(base).toString()) as Record<string, unknown>;

test('an announcement survives encode and decode', () => {
  assert.deepEqual(decodeAnnouncement(encodeAnnouncement(base)), base);
  const answer = { ...base, kind: 'answer' as const, query: false };
  assert.deepEqual(decodeAnnouncement(encodeAnnouncement(answer)), answer);
});

test('the longest name in four-byte characters still fits the datagram cap', () => {
  const buf = encodeAnnouncement({ ...base, name: '🚢'.repeat(200) });
  assert.ok(buf.length <= MAX_PACKET_BYTES, `${buf.length} bytes`);
  assert.equal([...decodeAnnouncement(buf)!.name].length, 64);
});

test('our own name is cleaned of control characters before it is sent', () => {
  assert.equal(decodeAnnouncement(encodeAnnouncement({ ...base, name: 'a\u0007b\nc' }))!.name, 'a b c');
  assert.equal(decodeAnnouncement(encodeAnnouncement({ ...base, name: '\n\t' }))!.name, 'Ferry device');
});

test('malformed datagrams are dropped, not thrown', () => {
  for (const raw of ['', 'not json', '[]', 'null', '42', '"ferry"', '{"ferry":1', '\u0000\u0001']) {
    assert.equal(decodeAnnouncement(Buffer.from(raw)), null, JSON.stringify(raw));
  }
});

test('an oversized datagram is dropped before parsing', () => {
  const padded = wire({ ...good(), pad: 'x'.repeat(MAX_PACKET_BYTES) });
  assert.equal(decodeAnnouncement(padded), null);
});

test('unknown extra fields are tolerated (a newer peer), wrong types are not', () => {
  assert.ok(decodeAnnouncement(wire({ ...good(), extra: [1, 2] })));
  const cases: Record<string, unknown>[] = [
    { ferry: 2 },
    { t: 'hello' },
    { q: true },
    { fp: 'AB'.repeat(32) },
    { fp: 'ab'.repeat(31) },
    { fp: 5 },
    { id: 'xyz' },
    { n: '' },
    { n: '   ' },
    { n: 'x'.repeat(65) },
    { n: 'bad\u001bname' },
    { n: 7 },
    { dt: 'phone' },
    { p: 0 },
    { p: 65536 },
    { p: '53417' },
    { p: 1.5 },
    { pv: 0 },
    { pv: '1' },
  ];
  for (const patch of cases) assert.equal(decodeAnnouncement(wire({ ...good(), ...patch })), null, JSON.stringify(patch));
  for (const key of ['ferry', 't', 'fp', 'id', 'n', 'dt', 'p', 'pv']) {
    const o = good();
    delete o[key];
    assert.equal(decodeAnnouncement(wire(o)), null, `missing ${key}`);
  }
});
