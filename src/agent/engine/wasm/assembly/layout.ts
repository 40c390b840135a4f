// Memory layout helpers for an engine entry that allocates all its buffers once (td3.ts): the
// arena that hands out aligned buffers, and the pending hidden-layer table read at configure().

/** Spare bytes after every buffer: SIMD loads at a ragged row end may read up to 28 bytes past it. */
export const BUFFER_SLACK: usize = 64;
/** Buffers start on cache lines, so the two threads' halves of a product do not share lines. */
export const BUFFER_ALIGNMENT: usize = 64;

/**
 * Hands out cache-line-aligned buffers, each followed by BUFFER_SLACK spare bytes. Run once to
 * measure (base 0), then again over one region allocated at the measured size, so memory grows
 * a single time for all the engine's buffers.
 */
export class Arena {
  constructor(public next: usize) {}
  bytes(count: usize): usize {
    const at = this.next;
    this.next = (at + count + BUFFER_SLACK + BUFFER_ALIGNMENT - 1) & ~(BUFFER_ALIGNMENT - 1);
    return at;
  }
  floats(count: i32): usize {
    return this.bytes(<usize>count << 2);
  }
}

/** The base of a region of `bytes` from the heap, aligned for an Arena. */
export function alignedRegion(bytes: usize): usize {
  const region = heap.alloc(bytes + BUFFER_ALIGNMENT);
  return (region + BUFFER_ALIGNMENT - 1) & ~(BUFFER_ALIGNMENT - 1);
}

/** [inputs, hidden widths (i32s at `hidden`)…, outputs]: a Network's widths. */
export function layerWidths(inputs: i32, hidden: usize, hiddenCount: i32, outputs: i32): StaticArray<i32> {
  const widths = new StaticArray<i32>(hiddenCount + 2);
  unchecked((widths[0] = inputs));
  for (let l = 0; l < hiddenCount; l++) unchecked((widths[l + 1] = load<i32>(hidden + (<usize>l << 2))));
  unchecked((widths[hiddenCount + 1] = outputs));
  return widths;
}
