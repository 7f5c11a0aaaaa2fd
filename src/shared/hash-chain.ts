import { createHmac } from 'node:crypto';

/** The previous hash of the first line of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a line's hash covers, besides the previous hash. */
export interface ChainContent {
  at: Date;
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
}

/** JSON with object keys sorted at every level, so equal content always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * A line's hash: HMAC-SHA-256 over the previous hash and the line's canonical content. The key is
 * kept outside the database, so someone who can only write the database cannot forge a line.
 */
export function chainHash(key: string, prevHash: string, content: ChainContent): string {
  // Only the content's own fields: a stored line also carries its seq and hashes.
  const { at, actor, action, subject, detail } = content;
  const text = canonicalJson({ at: at.getTime(), actor, action, subject, detail });
  return createHmac('sha256', key).update(`${prevHash}\n${text}`).digest('hex');
}

/** A chain line as stored. */
export interface ChainLine extends ChainContent {
  seq: number;
  prevHash: string;
  hash: string;
}

/** Where a chain breaks, and why. */
export interface ChainBreak {
  seq: number;
  reason: 'content-changed' | 'link-broken';
}

/**
 * Checks lines (in order) against the hash of the line before them (`prevHash` of the first line
 * checked); returns the first break, or null. A changed line fails its own hash; a removed or
 * inserted line breaks the link of the line after the gap.
 */
export function firstBreak(key: string, lines: readonly ChainLine[], prevHash: string): ChainBreak | null {
  let previous = prevHash;
  for (const line of lines) {
    if (line.prevHash !== previous) return { seq: line.seq, reason: 'link-broken' };
    if (chainHash(key, line.prevHash, line) !== line.hash)
      return { seq: line.seq, reason: 'content-changed' };
    previous = line.hash;
  }
  return null;
}
