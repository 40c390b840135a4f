// The three matrix products a dense layer's forward and backward passes need, on row-major f32
// matrices addressed by byte pointer and leading dimension (in elements):
//   matmul                C = A·B    forward      Y  = X·W (+ bias, ReLU)
//   matmulTransposedA     C = Aᵀ·B   weights      dW = Xᵀ·dZ
//   matmulTransposedB     C = A·Bᵀ   inputs       dX = dZ·Wᵀ (⊙ ReLU gate)
// None of them materialises a transpose. Each is register-blocked so a 4-row × 8-column (or
// 2 × 4 dot-product) tile of C stays in SIMD registers for the whole reduction: per step the
// tile needs 6 loads for 8 multiply-adds. x64 has 16 vector registers; larger tiles spill.
//
// Ragged edges (sizes that are not multiples of four, e.g. input width 3, output width 1):
// * a tile's missing rows repeat the last real row and are never stored;
// * a tile's missing columns read whatever follows the row (every buffer the engine allocates
//   has slack after it, and a row is always followed by more of the same buffer or by that
//   slack), compute garbage in lanes that are never stored;
// * a reduction's ragged end is masked to zero on both operands, so nothing non-finite leaks in.
// Width-1 operands (the critic's Q output, a one-dimensional action) get dedicated paths, as the
// tiles would waste three lanes in four there.

import { firstLanesMask, keepWherePositive, madd, relu4, storeFirstLanes, sumLanes4 } from './simd';

/** Byte offset of row `index` clamped to the last real row of a tile with `valid` rows. */
@inline
function clampedRow(index: i32, valid: i32, rowBytes: usize): usize {
  return <usize>min(index, valid - 1) * rowBytes;
}

/**
 * C[M,N] = start + A[M,K]·B[K,N], then max(·, 0) when `relu`.
 * start is C itself when `accumulate` (a second input block of the same layer), else the bias
 * row [N] broadcast down the rows when bias ≠ 0, else zero.
 */
export function matmul(
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  rowCount: i32, innerCount: i32, columnCount: i32,
  bias: usize, accumulate: bool, relu: bool,
): void {
  if (columnCount == 1 && ldb == 1) {
    matvec(a, lda, b, c, ldc, rowCount, innerCount, bias, accumulate, relu);
    return;
  }
  const lda4 = <usize>lda << 2;
  const ldb4 = <usize>ldb << 2;
  const ldc4 = <usize>ldc << 2;
  const innerBytes = <usize>innerCount << 2;
  for (let m = 0; m < rowCount; m += 4) {
    const valid = min(4, rowCount - m);
    const pa = a + <usize>m * lda4;
    const ra1 = clampedRow(1, valid, lda4);
    const ra2 = clampedRow(2, valid, lda4);
    const ra3 = clampedRow(3, valid, lda4);
    const pc = c + <usize>m * ldc4;
    const rc1 = clampedRow(1, valid, ldc4);
    const rc2 = clampedRow(2, valid, ldc4);
    const rc3 = clampedRow(3, valid, ldc4);
    let n = 0;
    for (; n + 8 <= columnCount; n += 8) {
      const column = <usize>n << 2;
      let x00 = f32x4.splat(0), x01 = f32x4.splat(0);
      let x10 = f32x4.splat(0), x11 = f32x4.splat(0);
      let x20 = f32x4.splat(0), x21 = f32x4.splat(0);
      let x30 = f32x4.splat(0), x31 = f32x4.splat(0);
      if (accumulate) {
        const q = pc + column;
        x00 = v128.load(q); x01 = v128.load(q, 16);
        x10 = v128.load(q + rc1); x11 = v128.load(q + rc1, 16);
        x20 = v128.load(q + rc2); x21 = v128.load(q + rc2, 16);
        x30 = v128.load(q + rc3); x31 = v128.load(q + rc3, 16);
      } else if (bias != 0) {
        x00 = v128.load(bias + column); x01 = v128.load(bias + column, 16);
        x10 = x00; x11 = x01; x20 = x00; x21 = x01; x30 = x00; x31 = x01;
      }
      let p = pa;
      const end = pa + innerBytes;
      let q = b + column;
      while (p < end) {
        const b0 = v128.load(q);
        const b1 = v128.load(q, 16);
        let s = v128.load32_splat(p);
        x00 = madd(s, b0, x00); x01 = madd(s, b1, x01);
        s = v128.load32_splat(p + ra1);
        x10 = madd(s, b0, x10); x11 = madd(s, b1, x11);
        s = v128.load32_splat(p + ra2);
        x20 = madd(s, b0, x20); x21 = madd(s, b1, x21);
        s = v128.load32_splat(p + ra3);
        x30 = madd(s, b0, x30); x31 = madd(s, b1, x31);
        p += 4;
        q += ldb4;
      }
      if (relu) {
        x00 = relu4(x00); x01 = relu4(x01); x10 = relu4(x10); x11 = relu4(x11);
        x20 = relu4(x20); x21 = relu4(x21); x30 = relu4(x30); x31 = relu4(x31);
      }
      const out = pc + column;
      v128.store(out, x00); v128.store(out, x01, 16);
      if (valid > 1) { v128.store(out + rc1, x10); v128.store(out + rc1, x11, 16); }
      if (valid > 2) { v128.store(out + rc2, x20); v128.store(out + rc2, x21, 16); }
      if (valid > 3) { v128.store(out + rc3, x30); v128.store(out + rc3, x31, 16); }
    }
    for (; n < columnCount; n += 4) {
      const column = <usize>n << 2;
      const width = min(4, columnCount - n);
      let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
      if (accumulate) {
        const q = pc + column;
        x0 = v128.load(q); x1 = v128.load(q + rc1); x2 = v128.load(q + rc2); x3 = v128.load(q + rc3);
      } else if (bias != 0) {
        x0 = v128.load(bias + column); x1 = x0; x2 = x0; x3 = x0;
      }
      let p = pa;
      const end = pa + innerBytes;
      let q = b + column;
      while (p < end) {
        const b0 = v128.load(q);
        x0 = madd(v128.load32_splat(p), b0, x0);
        x1 = madd(v128.load32_splat(p + ra1), b0, x1);
        x2 = madd(v128.load32_splat(p + ra2), b0, x2);
        x3 = madd(v128.load32_splat(p + ra3), b0, x3);
        p += 4;
        q += ldb4;
      }
      if (relu) { x0 = relu4(x0); x1 = relu4(x1); x2 = relu4(x2); x3 = relu4(x3); }
      const out = pc + column;
      storeFirstLanes(out, x0, width);
      if (valid > 1) storeFirstLanes(out + rc1, x1, width);
      if (valid > 2) storeFirstLanes(out + rc2, x2, width);
      if (valid > 3) storeFirstLanes(out + rc3, x3, width);
    }
  }
}

/** The start value of row `index` of a one-column product (see matmul). */
@inline
function startValue(c: usize, bias: usize, accumulate: bool): f32 {
  if (accumulate) return load<f32>(c);
  if (bias != 0) return load<f32>(bias);
  return 0;
}

/** Stores one row's result of a one-column product. */
@inline
function storeScalar(c: usize, value: f32, relu: bool): void {
  store<f32>(c, relu ? max<f32>(value, 0) : value);
}

/** matmul for a single contiguous column b[K]: dot products along K, four rows at a time. */
function matvec(
  a: usize, lda: i32, b: usize, c: usize, ldc: i32,
  rowCount: i32, innerCount: i32, bias: usize, accumulate: bool, relu: bool,
): void {
  const lda4 = <usize>lda << 2;
  const ldc4 = <usize>ldc << 2;
  const mainBytes = <usize>(innerCount & ~3) << 2;
  const tail = innerCount & 3;
  const tailMask = firstLanesMask(tail);
  for (let m = 0; m < rowCount; m += 4) {
    const valid = min(4, rowCount - m);
    const p0 = a + <usize>m * lda4;
    const p1 = p0 + clampedRow(1, valid, lda4);
    const p2 = p0 + clampedRow(2, valid, lda4);
    const p3 = p0 + clampedRow(3, valid, lda4);
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let d: usize = 0;
    for (; d < mainBytes; d += 16) {
      const w = v128.load(b + d);
      s0 = madd(v128.load(p0 + d), w, s0);
      s1 = madd(v128.load(p1 + d), w, s1);
      s2 = madd(v128.load(p2 + d), w, s2);
      s3 = madd(v128.load(p3 + d), w, s3);
    }
    if (tail != 0) {
      const w = v128.and(v128.load(b + d), tailMask);
      s0 = madd(v128.and(v128.load(p0 + d), tailMask), w, s0);
      s1 = madd(v128.and(v128.load(p1 + d), tailMask), w, s1);
      s2 = madd(v128.and(v128.load(p2 + d), tailMask), w, s2);
      s3 = madd(v128.and(v128.load(p3 + d), tailMask), w, s3);
    }
    const sums = sumLanes4(s0, s1, s2, s3);
    const q = c + <usize>m * ldc4;
    storeScalar(q, startValue(q, bias, accumulate) + f32x4.extract_lane(sums, 0), relu);
    if (valid > 1) storeScalar(q + ldc4, startValue(q + ldc4, bias, accumulate) + f32x4.extract_lane(sums, 1), relu);
    if (valid > 2) storeScalar(q + 2 * ldc4, startValue(q + 2 * ldc4, bias, accumulate) + f32x4.extract_lane(sums, 2), relu);
    if (valid > 3) storeScalar(q + 3 * ldc4, startValue(q + 3 * ldc4, bias, accumulate) + f32x4.extract_lane(sums, 3), relu);
  }
}

/**
 * C[K,N] = A[M,K]ᵀ·B[M,N] (overwrites C), reducing over the M rows: a layer's weight gradient
 * Xᵀ·dZ summed over the batch. A tile is 4 columns of A (rows of C) × 8 columns of B.
 */
export function matmulTransposedA(
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  rowCount: i32, aColumnCount: i32, columnCount: i32,
): void {
  if (columnCount == 1 && ldc == 1) {
    transposedMatvec(a, lda, b, ldb, c, rowCount, aColumnCount);
    return;
  }
  const lda4 = <usize>lda << 2;
  const ldb4 = <usize>ldb << 2;
  const ldc4 = <usize>ldc << 2;
  const bRowsBytes = <usize>rowCount * ldb4;
  for (let i = 0; i < aColumnCount; i += 4) {
    const valid = min(4, aColumnCount - i);
    const pa = a + (<usize>i << 2);
    const o1 = clampedRow(1, valid, 4);
    const o2 = clampedRow(2, valid, 4);
    const o3 = clampedRow(3, valid, 4);
    const pc = c + <usize>i * ldc4;
    const rc1 = clampedRow(1, valid, ldc4);
    const rc2 = clampedRow(2, valid, ldc4);
    const rc3 = clampedRow(3, valid, ldc4);
    let n = 0;
    for (; n + 8 <= columnCount; n += 8) {
      const column = <usize>n << 2;
      let x00 = f32x4.splat(0), x01 = f32x4.splat(0);
      let x10 = f32x4.splat(0), x11 = f32x4.splat(0);
      let x20 = f32x4.splat(0), x21 = f32x4.splat(0);
      let x30 = f32x4.splat(0), x31 = f32x4.splat(0);
      let p = pa;
      let q = b + column;
      const end = q + bRowsBytes;
      while (q < end) {
        const b0 = v128.load(q);
        const b1 = v128.load(q, 16);
        let s = v128.load32_splat(p);
        x00 = madd(s, b0, x00); x01 = madd(s, b1, x01);
        s = v128.load32_splat(p + o1);
        x10 = madd(s, b0, x10); x11 = madd(s, b1, x11);
        s = v128.load32_splat(p + o2);
        x20 = madd(s, b0, x20); x21 = madd(s, b1, x21);
        s = v128.load32_splat(p + o3);
        x30 = madd(s, b0, x30); x31 = madd(s, b1, x31);
        p += lda4;
        q += ldb4;
      }
      const out = pc + column;
      v128.store(out, x00); v128.store(out, x01, 16);
      if (valid > 1) { v128.store(out + rc1, x10); v128.store(out + rc1, x11, 16); }
      if (valid > 2) { v128.store(out + rc2, x20); v128.store(out + rc2, x21, 16); }
      if (valid > 3) { v128.store(out + rc3, x30); v128.store(out + rc3, x31, 16); }
    }
    for (; n < columnCount; n += 4) {
      const column = <usize>n << 2;
      const width = min(4, columnCount - n);
      let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
      let p = pa;
      let q = b + column;
      const end = q + bRowsBytes;
      while (q < end) {
        const b0 = v128.load(q);
        x0 = madd(v128.load32_splat(p), b0, x0);
        x1 = madd(v128.load32_splat(p + o1), b0, x1);
        x2 = madd(v128.load32_splat(p + o2), b0, x2);
        x3 = madd(v128.load32_splat(p + o3), b0, x3);
        p += lda4;
        q += ldb4;
      }
      const out = pc + column;
      storeFirstLanes(out, x0, width);
      if (valid > 1) storeFirstLanes(out + rc1, x1, width);
      if (valid > 2) storeFirstLanes(out + rc2, x2, width);
      if (valid > 3) storeFirstLanes(out + rc3, x3, width);
    }
  }
}

/** matmulTransposedA for a single column b (stride ldb) into a contiguous c[K]: vectors along K. */
function transposedMatvec(a: usize, lda: i32, b: usize, ldb: i32, c: usize, rowCount: i32, aColumnCount: i32): void {
  const lda4 = <usize>lda << 2;
  const ldb4 = <usize>ldb << 2;
  for (let i = 0; i < aColumnCount; i += 8) {
    const column = <usize>i << 2;
    let x0 = f32x4.splat(0), x1 = f32x4.splat(0);
    let p = a + column;
    let q = b;
    for (let m = 0; m < rowCount; m++) {
      const s = v128.load32_splat(q);
      x0 = madd(v128.load(p), s, x0);
      x1 = madd(v128.load(p, 16), s, x1);
      p += lda4;
      q += ldb4;
    }
    const width = aColumnCount - i;
    storeFirstLanes(c + column, x0, width);
    if (width > 4) storeFirstLanes(c + column + 16, x1, width - 4);
  }
}

/**
 * C[M,N] = A[M,K]·B[N,K]ᵀ, then, when gate ≠ 0, zeroed wherever gate[M,N] ≤ 0: the gradient
 * flowing into a layer's input, dZ·Wᵀ, masked by the ReLU that produced that input. Both operands
 * are read along their contiguous rows; a 2 × 4 tile keeps eight dot products in registers and
 * reduces them with shuffles at the end.
 */
export function matmulTransposedB(
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  rowCount: i32, innerCount: i32, columnCount: i32,
  gate: usize, ldg: i32,
): void {
  if (innerCount == 1 && ldb == 1) {
    outerProduct(a, lda, b, c, ldc, rowCount, columnCount, gate, ldg);
    return;
  }
  const lda4 = <usize>lda << 2;
  const ldb4 = <usize>ldb << 2;
  const ldc4 = <usize>ldc << 2;
  const ldg4 = <usize>ldg << 2;
  const mainBytes = <usize>(innerCount & ~3) << 2;
  const tail = innerCount & 3;
  const tailMask = firstLanesMask(tail);
  for (let m = 0; m < rowCount; m += 2) {
    const validRows = min(2, rowCount - m);
    const pa0 = a + <usize>m * lda4;
    const pa1 = pa0 + clampedRow(1, validRows, lda4);
    for (let n = 0; n < columnCount; n += 4) {
      const validColumns = min(4, columnCount - n);
      const pb0 = b + <usize>n * ldb4;
      const pb1 = pb0 + clampedRow(1, validColumns, ldb4);
      const pb2 = pb0 + clampedRow(2, validColumns, ldb4);
      const pb3 = pb0 + clampedRow(3, validColumns, ldb4);
      let x00 = f32x4.splat(0), x01 = f32x4.splat(0), x02 = f32x4.splat(0), x03 = f32x4.splat(0);
      let x10 = f32x4.splat(0), x11 = f32x4.splat(0), x12 = f32x4.splat(0), x13 = f32x4.splat(0);
      let d: usize = 0;
      for (; d < mainBytes; d += 16) {
        const r0 = v128.load(pa0 + d);
        const r1 = v128.load(pa1 + d);
        let w = v128.load(pb0 + d);
        x00 = madd(r0, w, x00); x10 = madd(r1, w, x10);
        w = v128.load(pb1 + d);
        x01 = madd(r0, w, x01); x11 = madd(r1, w, x11);
        w = v128.load(pb2 + d);
        x02 = madd(r0, w, x02); x12 = madd(r1, w, x12);
        w = v128.load(pb3 + d);
        x03 = madd(r0, w, x03); x13 = madd(r1, w, x13);
      }
      if (tail != 0) {
        const r0 = v128.and(v128.load(pa0 + d), tailMask);
        const r1 = v128.and(v128.load(pa1 + d), tailMask);
        let w = v128.and(v128.load(pb0 + d), tailMask);
        x00 = madd(r0, w, x00); x10 = madd(r1, w, x10);
        w = v128.and(v128.load(pb1 + d), tailMask);
        x01 = madd(r0, w, x01); x11 = madd(r1, w, x11);
        w = v128.and(v128.load(pb2 + d), tailMask);
        x02 = madd(r0, w, x02); x12 = madd(r1, w, x12);
        w = v128.and(v128.load(pb3 + d), tailMask);
        x03 = madd(r0, w, x03); x13 = madd(r1, w, x13);
      }
      let row0 = sumLanes4(x00, x01, x02, x03);
      let row1 = sumLanes4(x10, x11, x12, x13);
      const column = <usize>n << 2;
      if (gate != 0) {
        const g = gate + <usize>m * ldg4 + column;
        row0 = keepWherePositive(row0, v128.load(g));
        row1 = keepWherePositive(row1, v128.load(g + clampedRow(1, validRows, ldg4)));
      }
      const out = c + <usize>m * ldc4 + column;
      storeFirstLanes(out, row0, validColumns);
      if (validRows > 1) storeFirstLanes(out + ldc4, row1, validColumns);
    }
  }
}

/** matmulTransposedB with K = 1 and a contiguous b[N]: C[m, n] = a[m]·b[n] (gated). */
function outerProduct(a: usize, lda: i32, b: usize, c: usize, ldc: i32, rowCount: i32, columnCount: i32, gate: usize, ldg: i32): void {
  const lda4 = <usize>lda << 2;
  const ldc4 = <usize>ldc << 2;
  const ldg4 = <usize>ldg << 2;
  for (let m = 0; m < rowCount; m++) {
    const s = v128.load32_splat(a + <usize>m * lda4);
    const out = c + <usize>m * ldc4;
    const g = gate + <usize>m * ldg4;
    for (let n = 0; n < columnCount; n += 4) {
      const column = <usize>n << 2;
      let v = f32x4.mul(s, v128.load(b + column));
      if (gate != 0) v = keepWherePositive(v, v128.load(g + column));
      storeFirstLanes(out + column, v, columnCount - n);
    }
  }
}

/** out[N] = Σ over the M rows of A[M,N]: a bias gradient. */
export function columnSums(a: usize, lda: i32, rowCount: i32, columnCount: i32, out: usize): void {
  const lda4 = <usize>lda << 2;
  for (let n = 0; n < columnCount; n += 8) {
    const column = <usize>n << 2;
    let x0 = f32x4.splat(0), x1 = f32x4.splat(0);
    let p = a + column;
    for (let m = 0; m < rowCount; m++) {
      x0 = f32x4.add(x0, v128.load(p));
      x1 = f32x4.add(x1, v128.load(p, 16));
      p += lda4;
    }
    const width = columnCount - n;
    storeFirstLanes(out + column, x0, width);
    if (width > 4) storeFirstLanes(out + column + 16, x1, width - 4);
  }
}
