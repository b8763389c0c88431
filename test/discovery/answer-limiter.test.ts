import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnswerLimiter, DEFAULT_ANSWER_LIMITS } from '../../src/main/engine/discovery/answer-limiter';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

test('one announcer is answered at most once per interval', () => {
  const c = clock();
  const l = new AnswerLimiter(DEFAULT_ANSWER_LIMITS, c.now);
  assert.equal(l.allow('10.0.0.2', 'fpA/1'), true);
  assert.equal(l.allow('10.0.0.2', 'fpA/1'), false);
  c.advance(DEFAULT_ANSWER_LIMITS.perAnnouncerMs - 1);
  assert.equal(l.allow('10.0.0.2', 'fpA/1'), false);
  c.advance(1);
  assert.equal(l.allow('10.0.0.2', 'fpA/1'), true);
});

test('one source address forging many announcers gets only its burst', () => {
  const c = clock();
  const l = new AnswerLimiter(DEFAULT_ANSWER_LIMITS, c.now);
  let answered = 0;
  for (let i = 0; i < 1000; i++) if (l.allow('10.0.0.66', `fp${i}/x`)) answered++;
  assert.equal(answered, DEFAULT_ANSWER_LIMITS.perSourceBurst);
  // Another source is not starved by the flooder.
  assert.equal(l.allow('10.0.0.7', 'fpB/1'), true);
});

test('a burst of N announcers from N sources yields a bounded number of answers per second', () => {
  const c = clock();
  const lim = DEFAULT_ANSWER_LIMITS;
  const l = new AnswerLimiter(lim, c.now);
  const perSecond: number[] = [];
  for (let s = 0; s < 10; s++) {
    let n = 0;
    // 500 distinct new peers start every second, each sending its 3-query burst.
    for (let i = 0; i < 500; i++) {
      const src = `10.1.${s}.${i % 250}/${i}`;
      for (let q = 0; q < 3; q++) if (l.allow(src, `peer-${s}-${i}/run`)) n++;
    }
    perSecond.push(n);
    c.advance(1000);
  }
  assert.equal(perSecond[0], lim.totalBurst);
  for (const n of perSecond.slice(1)) assert.ok(n <= lim.totalPerSec, `answers in a second: ${n}`);
  const total = perSecond.reduce((a, b) => a + b, 0);
  assert.ok(total <= lim.totalBurst + 9 * lim.totalPerSec, `total ${total}`);
  assert.ok(total >= 9 * lim.totalPerSec, 'answers keep flowing at the sustained rate');
});
