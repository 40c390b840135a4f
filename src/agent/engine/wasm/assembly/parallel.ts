// Optional second thread. A helper worker runs another instance of this module on the same
// shared memory, inside helperLoop(). Each large product (and Adam) is cut into chunks of whole
// columns (or rows, or parameters); the main thread posts the job, then both threads claim chunks
// from one atomic counter until none are left, and the main thread waits only for a chunk the
// helper is still computing. A late, sleeping or descheduled helper therefore costs at most one
// chunk, never a stall. Every chunk does exactly the per-element arithmetic of the whole, so one
// thread and two give bit-identical results. Without a helper every call runs the plain kernel.
//
// Protocol (sequentially consistent wasm atomics throughout):
//   post:  write KIND and ARGUMENTS; FINISHED ← 0; CLAIMS ← (sequence, chunks, 0); SEQUENCE ← sequence.
//   claim: compare-exchange the 64-bit CLAIMS from (s, chunks, c) to (s, chunks, c + 1) while
//          c < chunks. A helper that saw job s only ever claims in job s, and once its claim
//          succeeds the arguments it then reads are job s's: the main thread rewrites them only
//          after every chunk of s has been claimed and finished.
//   done:  FINISHED += 1 per chunk; the main thread returns when FINISHED = chunks.
// Between jobs the helper spins on SEQUENCE, and sleeps on memory.atomic.wait only after
// HELPER_SPINS, announcing it in HELPER_SLEEPING so that the main thread's next post notifies it;
// a JOB_PARK post sends it to sleep at once (the main thread is about to work alone for a while).
// The main thread never sleeps: it spins only for chunks the helper is computing.

import { matmul, matmulTransposedA, matmulTransposedB } from './matmul';
import { adamWithSoftUpdate } from './optimizer';

// Mailbox layout; the counters each on their own cache line.
const SEQUENCE: usize = 0;
const CLAIMS: usize = 64;
const FINISHED: usize = 128;
const HELPER_SLEEPING: usize = 192;
const HELPER_FAILED: usize = 196;
const KIND: usize = 256;
/** 16 four-byte slots: bytes 260–323. */
const ARGUMENTS: usize = 260;
/** Chunks the helper has run (diagnostics: how much of the work it actually took). */
const HELPER_CHUNKS: usize = 384;
export const MAILBOX_BYTES: i32 = 448;

const JOB_MATMUL: i32 = 1;
const JOB_TRANSPOSED_A: i32 = 2;
const JOB_TRANSPOSED_B: i32 = 3;
const JOB_ADAM: i32 = 4;
const JOB_EXIT: i32 = 5;
/** Not work: tells the helper to sleep now instead of spinning (see setHelperInUse). */
const JOB_PARK: i32 = 6;
/** The argument slot that holds a job's chunk width (the last slot). */
const CHUNK_WIDTH: i32 = 15;
/** Chunk counts and claims share 16-bit fields of CLAIMS. */
const MAX_CHUNKS: i32 = 0xffff;

/** Products below this many FLOPs stay on one thread: the hand-off would cost more than it saves. */
const MIN_SPLIT_FLOPS: i64 = 1 << 18;
/**
 * Chunks are about this many FLOPs (a few µs), and a multiple of 16 columns wide so that, with
 * rows of 64-byte multiples, the threads never write the same cache line.
 */
const CHUNK_FLOPS: i64 = 1 << 18;
const CHUNK_ALIGNMENT: i32 = 16;
/** Adam: about 10 cycles per 4 parameters (divider and memory bound); weighed like FLOPs. */
const ADAM_FLOPS_PER_PARAMETER: i64 = 16;
/**
 * Spins before the helper sleeps: ~0.1 s here, so it stays awake through everything between two
 * updates of a training run (an env step, an evaluation). Sleeping sooner costs more than the
 * futex wake-up: a woken thread is often placed on the waker's core and the two then share it.
 * (OpenMP runtimes make the same trade with their ~0.2 s default block time.)
 */
const HELPER_SPINS: i32 = 1 << 26;

let mailbox: usize = 0;
let helperActive = false;
/** Off: every call runs on this thread and the attached helper idles (spins out, then sleeps). */
let helperInUse = true;
let sequence: i32 = 0;

/** Uses the helper from now on (the worker is already inside helperLoop on this mailbox). */
export function attachHelper(box: usize): void {
  mailbox = box;
  sequence = atomic.load<i32>(box + SEQUENCE);
  helperActive = true;
}

/**
 * Shares the next products with the attached helper (true, the default) or runs them on this
 * thread alone (false). Results are bit-identical either way, so this may change between any two
 * calls: wasmEngine.ts switches it by measuring which is faster on the machine as it is now.
 */
export function setHelperInUse(inUse: bool): void {
  if (helperActive && helperInUse && !inUse) {
    // A helper spinning on a core that shares its execution units with ours (an SMT sibling, or a
    // vCPU the host placed there) would slow down the very one-thread updates being timed.
    store<i32>(mailbox + KIND, JOB_PARK);
    post(0);
  }
  helperInUse = inUse;
}

/** Chunks of shared products the helper has computed so far. */
export function helperChunks(): i32 {
  return helperActive ? atomic.load<i32>(mailbox + HELPER_CHUNKS) : 0;
}

/** Sends the helper out of helperLoop; later calls run on this thread only. */
export function detachHelper(): void {
  if (!helperActive) return;
  store<i32>(mailbox + KIND, JOB_EXIT);
  post(0);
  helperActive = false;
}

@inline
function setArgument(index: i32, value: i32): void {
  store<i32>(mailbox + ARGUMENTS + (<usize>index << 2), value);
}

@inline
function setFloatArgument(index: i32, value: f32): void {
  store<f32>(mailbox + ARGUMENTS + (<usize>index << 2), value);
}

@inline
function argument(box: usize, index: i32): i32 {
  return load<i32>(box + ARGUMENTS + (<usize>index << 2));
}

@inline
function floatArgument(box: usize, index: i32): f32 {
  return load<f32>(box + ARGUMENTS + (<usize>index << 2));
}

/**
 * How many chunks to cut `count` items into, each item costing `flopsPerItem`: chunks of about
 * CHUNK_FLOPS, a multiple of `alignment` wide, at least two. Writes the width into the job's
 * arguments; returns 0 when the job is too small to share.
 */
function planChunks(count: i32, flopsPerItem: i64, alignment: i32): i32 {
  if (!helperActive || !helperInUse || <i64>count * flopsPerItem < MIN_SPLIT_FLOPS || count < 2 * alignment) return 0;
  const byCost = <i32>min<i64>(<i64>count, max<i64>(1, CHUNK_FLOPS / max<i64>(flopsPerItem, 1)));
  const atMostHalf = min(byCost, (count + 1) >> 1);
  const atLeast = (count + MAX_CHUNKS - 1) / MAX_CHUNKS;
  let width = max(atMostHalf, atLeast);
  width = ((width + alignment - 1) / alignment) * alignment;
  setArgument(CHUNK_WIDTH, width);
  return (count + width - 1) / width;
}

function post(chunks: i32): void {
  sequence = (sequence + 1) & 0x7fffffff;
  atomic.store<i32>(mailbox + FINISHED, 0);
  atomic.store<i64>(mailbox + CLAIMS, (<i64>sequence << 32) | (<i64>chunks << 16));
  atomic.store<i32>(mailbox + SEQUENCE, sequence);
  if (atomic.load<i32>(mailbox + HELPER_SLEEPING) != 0) atomic.notify(mailbox + SEQUENCE, 1);
}

/** Posts the job described in the mailbox, works on it alongside the helper, and returns when it is done. */
function share(kind: i32, chunks: i32): void {
  store<i32>(mailbox + KIND, kind);
  post(chunks);
  workOn(mailbox, sequence, kind);
  // Only chunks the helper is computing right now are outstanding: spin for them.
  while (atomic.load<i32>(mailbox + FINISHED) != chunks) {
    if (atomic.load<i32>(mailbox + HELPER_FAILED) != 0) {
      helperActive = false;
      throw new Error('the wasm engine helper thread failed');
    }
  }
}

/** Claims and runs chunks of job `job` until none are left; returns how many it ran. */
function workOn(box: usize, job: i32, kind: i32): i32 {
  let ran = 0;
  while (true) {
    const claims = atomic.load<i64>(box + CLAIMS);
    const chunk = <i32>(claims & 0xffff);
    const chunks = <i32>((claims >>> 16) & 0xffff);
    if (<i32>(claims >>> 32) != job || chunk >= chunks) return ran;
    if (atomic.cmpxchg<i64>(box + CLAIMS, claims, claims + 1) != claims) continue;
    runChunk(box, kind, chunk);
    atomic.add<i32>(box + FINISHED, 1);
    ran++;
  }
}

function runChunk(box: usize, kind: i32, chunk: i32): void {
  const width = argument(box, CHUNK_WIDTH);
  const first = chunk * width;
  const a = <usize>argument(box, 0);
  const lda = argument(box, 1);
  const b = <usize>argument(box, 2);
  const ldb = argument(box, 3);
  const c = <usize>argument(box, 4);
  const ldc = argument(box, 5);
  if (kind == JOB_MATMUL) {
    // Columns first…first+count−1 of C = A·B.
    const count = min(width, argument(box, 8) - first);
    const offset = <usize>first << 2;
    const bias = <usize>argument(box, 9);
    matmul(
      a, lda, b + offset, ldb, c + offset, ldc, argument(box, 6), argument(box, 7), count,
      bias != 0 ? bias + offset : 0, argument(box, 10) != 0, argument(box, 11) != 0,
    );
  } else if (kind == JOB_TRANSPOSED_A) {
    // Rows first…first+count−1 of C = Aᵀ·B (columns of A).
    const count = min(width, argument(box, 7) - first);
    matmulTransposedA(a + (<usize>first << 2), lda, b, ldb, c + <usize>first * (<usize>ldc << 2), ldc, argument(box, 6), count, argument(box, 8));
  } else if (kind == JOB_TRANSPOSED_B) {
    // Columns first…first+count−1 of C = A·Bᵀ (rows of B).
    const count = min(width, argument(box, 8) - first);
    const offset = <usize>first << 2;
    const gate = <usize>argument(box, 9);
    matmulTransposedB(
      a, lda, b + <usize>first * (<usize>ldb << 2), ldb, c + offset, ldc, argument(box, 6), argument(box, 7), count,
      gate != 0 ? gate + offset : 0, argument(box, 10),
    );
  } else if (kind == JOB_ADAM) {
    const count = min(width, argument(box, 6) - first);
    const offset = <usize>first << 2;
    adamWithSoftUpdate(
      a + offset, b + offset, c + offset, <usize>argument(box, 3) + offset, <usize>argument(box, 5) + offset,
      count, floatArgument(box, 7), argument(box, 8), floatArgument(box, 9),
    );
  }
}

/** matmul (see matmul.ts), its columns shared between the threads. */
export function parallelMatmul(
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  rowCount: i32, innerCount: i32, columnCount: i32,
  bias: usize, accumulate: bool, relu: bool,
): void {
  const chunks = columnCount == 1 ? 0 : planChunks(columnCount, 2 * <i64>rowCount * innerCount, CHUNK_ALIGNMENT);
  if (chunks == 0) {
    matmul(a, lda, b, ldb, c, ldc, rowCount, innerCount, columnCount, bias, accumulate, relu);
    return;
  }
  setArgument(0, <i32>a); setArgument(1, lda); setArgument(2, <i32>b); setArgument(3, ldb);
  setArgument(4, <i32>c); setArgument(5, ldc);
  setArgument(6, rowCount); setArgument(7, innerCount); setArgument(8, columnCount);
  setArgument(9, <i32>bias); setArgument(10, accumulate ? 1 : 0); setArgument(11, relu ? 1 : 0);
  share(JOB_MATMUL, chunks);
}

/** matmulTransposedA, the rows of C (columns of A) shared between the threads. */
export function parallelMatmulTransposedA(
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  rowCount: i32, aColumnCount: i32, columnCount: i32,
): void {
  const chunks = columnCount == 1 ? 0 : planChunks(aColumnCount, 2 * <i64>rowCount * columnCount, CHUNK_ALIGNMENT);
  if (chunks == 0) {
    matmulTransposedA(a, lda, b, ldb, c, ldc, rowCount, aColumnCount, columnCount);
    return;
  }
  setArgument(0, <i32>a); setArgument(1, lda); setArgument(2, <i32>b); setArgument(3, ldb);
  setArgument(4, <i32>c); setArgument(5, ldc);
  setArgument(6, rowCount); setArgument(7, aColumnCount); setArgument(8, columnCount);
  share(JOB_TRANSPOSED_A, chunks);
}

/** matmulTransposedB, the columns of C (rows of B) shared between the threads. */
export function parallelMatmulTransposedB(
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  rowCount: i32, innerCount: i32, columnCount: i32,
  gate: usize, ldg: i32,
): void {
  const chunks = innerCount == 1 ? 0 : planChunks(columnCount, 2 * <i64>rowCount * innerCount, CHUNK_ALIGNMENT);
  if (chunks == 0) {
    matmulTransposedB(a, lda, b, ldb, c, ldc, rowCount, innerCount, columnCount, gate, ldg);
    return;
  }
  setArgument(0, <i32>a); setArgument(1, lda); setArgument(2, <i32>b); setArgument(3, ldb);
  setArgument(4, <i32>c); setArgument(5, ldc);
  setArgument(6, rowCount); setArgument(7, innerCount); setArgument(8, columnCount);
  setArgument(9, <i32>gate); setArgument(10, ldg);
  share(JOB_TRANSPOSED_B, chunks);
}

/** adamWithSoftUpdate, the parameters shared between the threads. */
export function parallelAdamWithSoftUpdate(
  parameters: usize, gradient: usize, firstMoment: usize, secondMoment: usize, target: usize,
  count: i32, learningRate: f32, step: i32, tau: f32,
): void {
  const chunks = planChunks(count, ADAM_FLOPS_PER_PARAMETER, CHUNK_ALIGNMENT);
  if (chunks == 0) {
    adamWithSoftUpdate(parameters, gradient, firstMoment, secondMoment, target, count, learningRate, step, tau);
    return;
  }
  setArgument(0, <i32>parameters); setArgument(2, <i32>gradient); setArgument(4, <i32>firstMoment);
  setArgument(3, <i32>secondMoment); setArgument(5, <i32>target); setArgument(6, count);
  setFloatArgument(7, learningRate); setArgument(8, step); setFloatArgument(9, tau);
  share(JOB_ADAM, chunks);
}

/** The helper thread's whole life: works on posted jobs until told to exit. */
export function helperLoop(box: usize): void {
  let seen = atomic.load<i32>(box + SEQUENCE);
  let park = false;
  while (true) {
    let spins = park ? HELPER_SPINS : 0;
    let current = atomic.load<i32>(box + SEQUENCE);
    while (current == seen) {
      if (++spins >= HELPER_SPINS) {
        atomic.store<i32>(box + HELPER_SLEEPING, 1);
        atomic.wait<i32>(box + SEQUENCE, seen, -1);
        atomic.store<i32>(box + HELPER_SLEEPING, 0);
        spins = 0;
      }
      current = atomic.load<i32>(box + SEQUENCE);
    }
    seen = current;
    const kind = load<i32>(box + KIND);
    if (kind == JOB_EXIT) return;
    park = kind == JOB_PARK;
    if (!park) atomic.add<i32>(box + HELPER_CHUNKS, workOn(box, current, kind));
  }
}

/** Called by the helper's JavaScript when helperLoop threw: the main thread stops waiting and reports it. */
export function helperFailed(box: usize): void {
  atomic.store<i32>(box + HELPER_FAILED, 1);
}
