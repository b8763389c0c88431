// The two dictionaries must stay in step: same keys, same placeholders, every error code covered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/shared/errors';
import { FILE_STATES } from '../../src/shared/types';
import { en } from '../../src/renderer/i18n/en';
import { zhCN } from '../../src/renderer/i18n/zh-CN';
import { makeT, resolveLang } from '../../src/renderer/i18n';

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('English and Simplified Chinese have exactly the same keys', () => {
  assert.deepEqual(Object.keys(zhCN).sort(), Object.keys(en).sort());
});

test('every translation is non-empty and uses the same placeholders as English', () => {
  for (const [key, text] of Object.entries(en)) {
    const zh = (zhCN as Record<string, string>)[key];
    assert.ok(text.trim() && zh.trim(), `empty string for ${key}`);
    assert.deepEqual(placeholders(zh), placeholders(text), `placeholders differ for ${key}`);
  }
});

test('every file state has a label in both languages', () => {
  for (const s of FILE_STATES) {
    assert.ok(`file.${s}` in en, `missing English label for ${s}`);
    assert.ok(`file.${s}` in zhCN, `missing Chinese label for ${s}`);
  }
});

test('every ErrorCode has a human sentence in both languages', () => {
  for (const code of Object.values(ErrorCode)) {
    assert.ok(`error.${code}` in en, `missing English sentence for ${code}`);
    assert.ok(`error.${code}` in zhCN, `missing Chinese sentence for ${code}`);
  }
});

test('system language follows the OS; an explicit setting wins', () => {
  assert.equal(resolveLang('system', 'zh-CN'), 'zh-CN');
  assert.equal(resolveLang('system', 'zh-Hans-CN'), 'zh-CN');
  assert.equal(resolveLang('system', 'de-DE'), 'en');
  assert.equal(resolveLang('en', 'zh-CN'), 'en');
  assert.equal(resolveLang('zh-CN', 'en-US'), 'zh-CN');
});

test('interpolation and plurals', () => {
  const t = makeT('en');
  assert.equal(t('transfer.to', { name: 'Bob' }), 'To Bob');
  assert.equal(t.plural('transfer.items', 1), '1 file');
  assert.equal(t.plural('transfer.items', 3), '3 files');
  assert.equal(makeT('zh-CN')('transfer.from', { name: 'Bob' }), '来自 Bob');
});

test('every transfer state reads as words in both languages, with the cause when there is one', async () => {
  const { stateText } = await import('../../src/renderer/components/transferText');
  const states = ['awaiting-accept', 'transferring', 'paused', 'reconnecting', 'completed', 'rejected', 'cancelled', 'failed'] as const;
  for (const lang of ['en', 'zh-CN'] as const) {
    const t = makeT(lang);
    for (const state of states) {
      for (const direction of ['in', 'out'] as const) {
        const text = stateText(t, {
          id: 'x',
          direction,
          state,
          peer: { fingerprint: 'f', name: 'Bob', address: '127.0.0.1', port: 1 },
  pairingCode: '123456',
          files: [],
          totalBytes: 0,
          bytesDone: 0,
          speed: 0,
          eta: null,
          createdAt: 0,
          updatedAt: 0,
        });
        assert.ok(text && !/^state\.|\{\w+\}/.test(text), `${lang} ${state} ${direction}: ${text}`);
      }
    }
  }
  const t = makeT('en');
  const base = { id: 'x', direction: 'out' as const, peer: { fingerprint: 'f', name: 'Bob', address: 'a', port: 1 }, pairingCode: '123456', files: [], totalBytes: 0, bytesDone: 0, speed: 0, eta: null, createdAt: 0, updatedAt: 0 };
  assert.equal(stateText(t, { ...base, state: 'rejected', error: { code: 'E_REJECTED', message: '' } }), 'Declined by Bob');
  assert.match(stateText(t, { ...base, state: 'rejected', error: { code: 'E_NO_SPACE', message: '' } }), /^Declined by Bob: Not enough free disk space/);
  assert.match(stateText(t, { ...base, state: 'failed', error: { code: 'E_CONNECTION_LOST', message: '' } }), /^Failed: The connection to the other device was lost/);
});
