import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import type { ListingFilter, ResourceKind } from '../../gql/graphql';
import { shanghaiDayOfPicked } from '../../i18n';
import { RESOURCE_KINDS } from '../../shared/kinds';

/** Discover's filters, kept in the address so a search can be shared or bookmarked. */
export interface DiscoverFilters {
  text: string;
  kind: ResourceKind | null;
  communityId: string | null;
  /** Calendar dates (YYYY-MM-DD, Shanghai), both inclusive. */
  from: string | null;
  to: string | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function readFilters(params: URLSearchParams): DiscoverFilters {
  const kind = params.get('kind');
  const from = params.get('from');
  const to = params.get('to');
  return {
    text: params.get('q') ?? '',
    kind: RESOURCE_KINDS.includes(kind as ResourceKind) ? (kind as ResourceKind) : null,
    communityId: params.get('community') || null,
    from: from && DATE.test(from) ? from : null,
    to: to && DATE.test(to) ? to : null,
  };
}

export function writeFilters(filters: DiscoverFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.text.trim()) params.set('q', filters.text.trim());
  if (filters.kind) params.set('kind', filters.kind);
  if (filters.communityId) params.set('community', filters.communityId);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  return params;
}

export const pickedDate = (day: Dayjs | null | undefined): string | null => (day ? day.format('YYYY-MM-DD') : null);
export const pickerValue = (date: string | null): Dayjs | null => (date ? dayjs(date) : null);

/** The catalogue filter: dates become Shanghai midnights, the end exclusive. */
export function listingFilter(filters: DiscoverFilters): ListingFilter {
  return {
    text: filters.text.trim() || null,
    kind: filters.kind,
    communityId: filters.communityId,
    availableFrom: filters.from ? shanghaiDayOfPicked(dayjs(filters.from)).toISOString() : null,
    availableTo: filters.to ? shanghaiDayOfPicked(dayjs(filters.to)).add(1, 'day').toISOString() : null,
  };
}

const MAX_AVAILABILITY_DAYS = 31;

/**
 * Where to look for each card's next free slot: from now (to the hour, so the range is
 * stable while the page is open) for a week, or over the chosen dates (at most 31 days).
 */
export function availabilityWindow(filters: DiscoverFilters, now: Date): { from: string; to: string } {
  const hour = dayjs(now).startOf('hour');
  const chosenFrom = filters.from ? shanghaiDayOfPicked(dayjs(filters.from)) : null;
  const from = chosenFrom && chosenFrom.isAfter(hour) ? chosenFrom : hour;
  const chosenTo = filters.to ? shanghaiDayOfPicked(dayjs(filters.to)).add(1, 'day') : null;
  const limit = from.add(MAX_AVAILABILITY_DAYS, 'day');
  let to = chosenTo && chosenTo.isAfter(from) ? chosenTo : from.add(7, 'day');
  if (to.isAfter(limit)) to = limit;
  return { from: from.toISOString(), to: to.toISOString() };
}

