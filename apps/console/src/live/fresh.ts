import type { ContractService } from '@vaops/contracts';
import { ServiceError } from '../api';
import type { LiveFeed } from './live-feed';
import { PlatformErrors } from '@vaops/platform';

/**
 * For a region read again after a notification: `minPosition=N`, the newest position of that service's
 * events the feed has seen, so the service's read model answers only once it holds what the notice was
 * about (the console hears an event as soon as the service's own projection does). Empty for a full page.
 */
export const freshness = (feed: LiveFeed, service: ContractService, fragment: boolean): string => {
  const position = fragment ? feed.minPosition(service) : undefined;
  return position === undefined ? '' : `minPosition=${position}`;
};

/** `path` with the freshness parameter added to its query, if there is one. */
export const withFreshness = (path: string, fresh: string): string => (fresh ? `${path}${path.includes('?') ? '&' : '?'}${fresh}` : path);

/**
 * Reads with the freshness parameter; a read model that did not catch up within the service's wait
 * (409 READ_MODEL.BEHIND) is read as it is rather than failing the region.
 */
export async function readFresh<T>(fresh: string, read: (fresh: string) => Promise<T>): Promise<T> {
  try {
    return await read(fresh);
  } catch (err) {
    if (fresh && err instanceof ServiceError && err.code === PlatformErrors.readModelBehind.code) return read('');
    throw err;
  }
}
