import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, FerryError } from '../../src/shared/errors';
import * as v from '../../src/main/engine/app/validate';
import { defaultSettings } from '../../src/main/engine/app/settings';

function invalid(fn: () => unknown): void {
  assert.throws(fn, (err: unknown) => err instanceof FerryError && err.code === ErrorCode.INVALID_ARGUMENT);
}

test('strings, ids and indices are type- and size-checked', () => {
  assert.equal(v.str('abc', 'x', 3), 'abc');
  invalid(() => v.str('abcd', 'x', 3));
  invalid(() => v.str('', 'x', 3));
  invalid(() => v.str(42, 'x', 3));
  invalid(() => v.id('x'.repeat(v.MAX_ID_CHARS + 1)));
  assert.equal(v.index(0, 'i'), 0);
  invalid(() => v.index(-1, 'i'));
  invalid(() => v.index(1.5, 'i'));
  invalid(() => v.index('1', 'i'));
});

test('path lists must be absolute, bounded, without NUL', () => {
  assert.deepEqual(v.pathList(['/a', '/b/c']), ['/a', '/b/c']);
  invalid(() => v.pathList([]));
  invalid(() => v.pathList('/a'));
  invalid(() => v.pathList(['relative/file']));
  invalid(() => v.pathList(['/a\0b']));
  invalid(() => v.pathList([{}]));
  invalid(() => v.pathList(new Array(v.MAX_SEND_PATHS + 1).fill('/a')));
});

test('offer decisions: indices must exist in the offer', () => {
  assert.deepEqual(v.decision({ accept: true }, 3), { accept: true });
  assert.deepEqual(v.decision({ accept: true, files: [0, 2], trust: true }, 3), { accept: true, files: [0, 2], trust: true });
  invalid(() => v.decision({ accept: 'yes' }, 3));
  invalid(() => v.decision({ accept: true, files: [3] }, 3));
  invalid(() => v.decision({ accept: true, files: 'all' }, 3));
  invalid(() => v.decision(null, 3));
});

test('settings patches: known keys with valid values only', () => {
  assert.deepEqual(v.settingsPatch({ deviceName: '  Desk ', theme: 'dark' }), { deviceName: 'Desk', theme: 'dark' });
  invalid(() => v.settingsPatch({ deviceName: '' }));
  invalid(() => v.settingsPatch({ deviceName: 'a\nb' }));
  invalid(() => v.settingsPatch({ deviceName: 'x'.repeat(65) }));
  invalid(() => v.settingsPatch({ acceptPolicy: 'everyone' }));
  invalid(() => v.settingsPatch({ downloadDir: 'Downloads' }));
  invalid(() => v.settingsPatch({ isAdmin: true }));
  invalid(() => v.settingsPatch([]));
});

test('settings from disk fall back field by field', () => {
  const d = defaultSettings();
  const s = v.sanitizeSettings({ deviceName: 'Box', acceptPolicy: 'bogus', theme: 'dark', extra: 1 }, d);
  assert.deepEqual(s, { ...d, deviceName: 'Box', theme: 'dark' });
  assert.deepEqual(v.sanitizeSettings('garbage', d), d);
});
