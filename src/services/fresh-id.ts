import { type IdKind, newId } from '../domain/ids.js';

/**
 * Ids are 16 random characters; a collision is astronomically unlikely but still never surfaced:
 * the insert reports it (ON CONFLICT DO NOTHING) and is tried again with a new id.
 */
export async function withFreshId<T>(
  kind: IdKind,
  attempt: (id: string) => Promise<T | 'collision'>,
): Promise<T> {
  for (let tries = 0; tries < 5; tries++) {
    const result = await attempt(newId(kind));
    if (result !== 'collision') return result;
  }
  throw new Error(`could not allocate a unique ${kind} id`);
}
