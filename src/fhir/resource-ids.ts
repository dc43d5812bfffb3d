import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

/** Random bytes are drawn from the system this many at a time (as node's randomUUID does), not 16 per id. */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

function random16(): Uint8Array {
  if (offset + 16 > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    offset = 0;
  }
  offset += 16;
  return pool.subarray(offset - 16, offset);
}

/**
 * A new resource id: a time-ordered UUID (version 7, RFC 9562). New rows land at the end of every B-tree keyed by
 * id instead of on random pages, which halves the pages each commit writes; ids stay unguessable (74 random bits
 * from the system's cryptographic generator) and globally unique.
 */
export function newResourceId(): string {
  return v7({ random: random16() });
}
