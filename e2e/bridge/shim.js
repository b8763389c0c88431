/* global window, location, __CALLS__, __EVENTS__ */
// bridge-shim.js: window.ferry (the FerryApi of src/shared/api.ts) over a WebSocket to the
// e2e bridge, standing in for the Electron preload. Served by the bridge; __CALLS__ and
// __EVENTS__ are replaced with the contract's lists, so it never drifts from api.ts.
(function () {
  'use strict';
  var CALLS = __CALLS__;
  var EVENTS = __EVENTS__;
  var LOST = { ok: false, error: { code: 'E_CONNECTION_LOST', message: 'The e2e bridge connection closed.' } };
  var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/rpc');
  var nextId = 1;
  var pending = new Map();
  var unsent = [];
  var handlers = new Map();

  ws.onopen = function () {
    unsent.forEach(function (m) { ws.send(m); });
    unsent = [];
  };
  ws.onmessage = function (ev) {
    var m = JSON.parse(ev.data);
    if (typeof m.id === 'number') {
      var resolve = pending.get(m.id);
      pending.delete(m.id);
      if (resolve) resolve(m.result);
    } else if (typeof m.event === 'string') {
      (handlers.get(m.event) || new Set()).forEach(function (h) {
        try { h(m.payload); } catch (e) { setTimeout(function () { throw e; }); }
      });
    }
  };
  ws.onclose = function () {
    pending.forEach(function (resolve) { resolve(LOST); });
    pending.clear();
  };

  function post(msg) {
    if (ws.readyState === 1) ws.send(msg);
    else if (ws.readyState === 0) unsent.push(msg);
  }

  function call(name, args) {
    return new Promise(function (resolve) {
      var id = nextId++;
      var msg = JSON.stringify({ id: id, call: name, args: args });
      if (ws.readyState > 1) return resolve(LOST);
      pending.set(id, resolve);
      post(msg);
    });
  }

  var api = {};
  CALLS.forEach(function (name) {
    api[name] = function () { return call(name, Array.prototype.slice.call(arguments)); };
  });
  api.on = function (event, handler) {
    if (EVENTS.indexOf(event) < 0) throw new Error('Unknown Ferry event: ' + event);
    if (!handlers.has(event)) handlers.set(event, new Set());
    handlers.get(event).add(handler);
    return function () { handlers.get(event).delete(handler); };
  };
  // Stand-in for webUtils.getPathForFile: the test maps dropped file names to absolute paths.
  // Like the preload, it tells the app which paths were given out (before any sendPaths).
  api.getPathForFile = function (file) {
    var map = window.__ferryTestPaths || {};
    var path = file && Object.prototype.hasOwnProperty.call(map, file.name) ? String(map[file.name]) : '';
    if (path) post(JSON.stringify({ grant: path }));
    return path;
  };
  Object.defineProperty(window, 'ferry', { value: Object.freeze(api), enumerable: true });
})();
