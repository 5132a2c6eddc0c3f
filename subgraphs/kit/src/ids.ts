import { createHash } from 'node:crypto';

/**
 * A UUID (version-5 layout, SHA-1 of the name) that is always the same for the same name:
 * ids for records that must be written once however often the writer retries.
 */
export function stableUuid(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
