/**
 * Newline-delimited JSON, the framing of the trainer socket: one message per line, in both
 * directions. The other end is a process of the same user, but the bytes are still input: a line
 * that is too long, not JSON, or cut off costs only itself, and the reader goes on at the next
 * newline. The content of a line is the protocol guards' business (src/shared/protocol.ts).
 */

/** Host → trainer lines are commands (a `start` carries a config): small. */
export const MAX_COMMAND_LINE_BYTES = 1 << 20;
/** Trainer → host lines are event batches; a batch of frame events can run to a few megabytes. */
export const MAX_EVENT_LINE_BYTES = 32 << 20;

export type BadLineReason = 'too long' | 'not JSON';

export interface JsonLineListeners {
  onMessage(value: unknown): void;
  /** `preview` is the start of the line, for a log. */
  onBadLine(reason: BadLineReason, preview: string): void;
}

export function encodeJsonLine(value: unknown): string {
  // JSON.stringify never emits a raw newline (inside strings it is escaped), so a line is a message.
  return `${JSON.stringify(value)}\n`;
}

export class JsonLineReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Inside a line that already went over the limit: everything up to its newline is dropped. */
  private discarding = false;

  constructor(
    private readonly listeners: JsonLineListeners,
    private readonly maxLineBytes: number,
  ) {}

  push(chunk: Buffer | string): void {
    let data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let newline: number;
    while ((newline = data.indexOf(0x0a)) >= 0) {
      const head = data.subarray(0, newline);
      data = data.subarray(newline + 1);
      if (this.discarding) {
        this.discarding = false;
        this.reset();
        continue;
      }
      if (this.pendingBytes + head.length > this.maxLineBytes) {
        this.tooLong(head);
        this.reset();
        continue;
      }
      const line = this.pending.length === 0 ? head : Buffer.concat([...this.pending, head]);
      this.reset();
      this.parse(line);
    }
    if (data.length === 0 || this.discarding) return;
    if (this.pendingBytes + data.length > this.maxLineBytes) {
      this.tooLong(data);
      this.reset();
      this.discarding = true;
      return;
    }
    // Copied: the stream may reuse the chunk's memory.
    this.pending.push(Buffer.from(data));
    this.pendingBytes += data.length;
  }

  /** Bytes of a line not yet ended by a newline (a cut-off last line is dropped, never parsed). */
  get buffered(): number {
    return this.pendingBytes;
  }

  private parse(line: Buffer): void {
    const text = line.toString('utf8').trim();
    if (text === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.listeners.onBadLine('not JSON', text.slice(0, 200));
      return;
    }
    this.listeners.onMessage(value);
  }

  private tooLong(part: Buffer): void {
    const start = Buffer.concat([...this.pending, part.subarray(0, 200)]).subarray(0, 200);
    this.listeners.onBadLine('too long', start.toString('utf8'));
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }
}
