import assert from 'node:assert/strict';
import test from 'node:test';

import { MinMaxSeries, RowSeries } from '../../webview/charts/decimatedSeries';

test('below its capacity a series draws every point', () => {
  const series = new MinMaxSeries(8);
  for (let i = 0; i < 8; i++) series.push(i, i * i);
  assert.deepEqual(series.points(), Array.from({ length: 8 }, (_, i) => ({ x: i, y: i * i })));
});

test('a long series keeps at most 4 points per bucket, in x order, with every extreme and the newest point', () => {
  const series = new MinMaxSeries(16);
  const ys: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    // Noise around a trend, with one spike and one dip far apart.
    const y = i === 1234 ? 500 : i === 8765 ? -900 : Math.sin(i * 0.7) * 10 + i * 0.01;
    ys.push(y);
    series.push(i, y);
  }
  const points = series.points();
  assert.equal(series.length, 10_000);
  assert.ok(points.length <= 4 * 16, `${points.length} points`);
  for (let k = 1; k < points.length; k++) assert.ok(points[k].x > points[k - 1].x, 'strictly increasing x');
  assert.deepEqual(points[0], { x: 0, y: ys[0] });
  assert.deepEqual(points[points.length - 1], { x: 9999, y: ys[9999] }, 'the line ends at the newest point');
  assert.ok(points.some((p) => p.x === 1234 && p.y === 500), 'the spike survives');
  assert.ok(points.some((p) => p.x === 8765 && p.y === -900), 'the dip survives');
  // Within every stretch between two drawn points, nothing lies outside the bucket's extremes:
  // the drawn envelope is the true min and max of the data overall.
  assert.equal(Math.max(...points.map((p) => p.y)), Math.max(...ys));
  assert.equal(Math.min(...points.map((p) => p.y)), Math.min(...ys));
});

test('decimated buckets are contiguous: every input point falls in exactly one bucket span', () => {
  const series = new MinMaxSeries(4);
  for (let i = 0; i < 37; i++) series.push(i, (i * 7919) % 13);
  const points = series.points();
  // With 4 buckets of 16 rows (37 points: 16, 16, 5) the spans are [0, 15], [16, 31], [32, 36].
  const xs = points.map((p) => p.x);
  assert.ok(xs.includes(0) && xs.includes(15) && xs.includes(16) && xs.includes(31) && xs.includes(32) && xs.includes(36), xs.join());
});

test('RowSeries appends only new rows, and starts over for another array or a shorter one', () => {
  let calls = 0;
  const rows = [1, 2, 3];
  const series = new RowSeries<number>((s, row) => {
    calls++;
    s.push(row, row * 10);
  });
  assert.deepEqual(series.sync(rows).points().map((p) => p.y), [10, 20, 30]);
  rows.push(4, 5);
  assert.deepEqual(series.sync(rows).points().map((p) => p.y), [10, 20, 30, 40, 50]);
  assert.equal(calls, 5, 'rows already seen are not visited again');
  assert.deepEqual(series.sync(rows.slice(0, 2)).points().map((p) => p.y), [10, 20], 'a cut copy starts over');
  assert.equal(calls, 7);
});

test('RowSeries running state (a moving average) is cleared on reset', () => {
  let sum = 0;
  const series = new RowSeries<number>(
    (s, row) => {
      sum += row;
      s.push(row, sum);
    },
    () => (sum = 0),
  );
  series.sync([1, 2, 3]);
  series.reset();
  assert.deepEqual(series.sync([1, 2, 3]).points().map((p) => p.y), [1, 3, 6]);
});

test('rejects a capacity that cannot hold two buckets', () => {
  assert.throws(() => new MinMaxSeries(1), /maxBuckets must be an integer ≥ 2/);
});
