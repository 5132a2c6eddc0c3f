import { createHash, randomBytes } from 'node:crypto';

/**
 * A UUID (version-5 layout, SHA-1 of the name) that is always the same for the same name:
 * ids for records that must be written once however often the writer retries.
 */
export function stableUuid(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

let lastMs = 0;
let sequence = 0;

/**
 * A UUID (version-7 layout) that sorts after every one this process made before: 48 bits
 * of Unix milliseconds, then a counter within the millisecond, then random bits. Ids of
 * append-only rows made this way keep their insertion order as a tie-breaker when several
 * share a timestamp.
 */
export function orderedUuid(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else {
    sequence += 1;
    if (sequence > 0xfff) {
      lastMs += 1;
      sequence = 0;
    }
  }
  const time = lastMs.toString(16).padStart(12, '0');
  const random = randomBytes(8);
  random[0] = (random[0]! & 0x3f) | 0x80;
  const tail = random.toString('hex');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${sequence.toString(16).padStart(3, '0')}-${tail.slice(0, 4)}-${tail.slice(4, 16)}`;
}
