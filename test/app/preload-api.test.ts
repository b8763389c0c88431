import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { API_CALLS, API_EVENTS, type ApiCallName } from '../../src/shared/api';
import { buildApi } from '../../src/preload/build-api';

function harness() {
  const invoked: { name: ApiCallName; args: unknown[] }[] = [];
  const bus = new EventEmitter();
  const api = buildApi({
    calls: API_CALLS,
    events: API_EVENTS,
    invoke: async (name, args) => {
      invoked.push({ name, args });
      return { ok: true, value: name };
    },
    subscribe: (event, handler) => {
      bus.on(event, handler);
      return () => void bus.off(event, handler);
    },
    pathForFile: (f) => {
      if (f.name === 'bad') throw new TypeError('not a File');
      return `/abs/${f.name}`;
    },
  });
  return { api, invoked, bus };
}

test('one function per contract call, passing its arguments through', async () => {
  const { api, invoked } = harness();
  for (const name of API_CALLS) assert.equal(typeof api[name], 'function', name);
  const r = await api.sendPaths('fp', ['/a', '/b']);
  assert.deepEqual(r, { ok: true, value: 'sendPaths' });
  assert.deepEqual(invoked, [{ name: 'sendPaths', args: ['fp', ['/a', '/b']] }]);
  assert.equal(Object.isFrozen(api), true);
  assert.equal('invoke' in api || 'ipcRenderer' in api, false);
});

test('on() takes contract events only and returns a working unsubscribe', () => {
  const { api, bus } = harness();
  const got: unknown[] = [];
  const off = api.on('transferRemoved', (p) => got.push(p));
  bus.emit('transferRemoved', { id: 'x' });
  off();
  bus.emit('transferRemoved', { id: 'y' });
  assert.deepEqual(got, [{ id: 'x' }]);
  assert.throws(() => api.on('ferry:internal' as never, () => undefined), /Unknown Ferry event/);
});

test('getPathForFile gives the path, or empty for what has none', () => {
  const { api } = harness();
  assert.equal(api.getPathForFile({ name: 'a.txt', size: 1 }), '/abs/a.txt');
  assert.equal(api.getPathForFile({ name: 'bad', size: 1 }), '');
});
