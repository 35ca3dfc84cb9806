/**
 * Duty categories (stable ids) and the lowest trust phase that allows each. Pure data and functions,
 * so every service answers "is this category allowed on this engagement at time T" from its own read
 * model of the engagement's phase history.
 */
import type { Phase } from './clients/v1';

export type { Phase };

export interface DutyCategory {
  id: string;
  group: 'clerical' | 'administrative' | 'executive';
  minPhase: Phase;
  title: string;
}

export const DUTY_CATEGORIES: readonly DutyCategory[] = [
  { id: 'mailing-lists', group: 'clerical', minPhase: 1, title: 'Maintaining mailing lists' },
  { id: 'supplies', group: 'clerical', minPhase: 1, title: 'Ordering office supplies' },
  { id: 'mailings', group: 'clerical', minPhase: 1, title: 'Sending mailings' },
  { id: 'data-entry', group: 'clerical', minPhase: 1, title: 'Data entry' },
  { id: 'confirming-appointments', group: 'administrative', minPhase: 2, title: 'Confirming appointments' },
  { id: 'screening', group: 'administrative', minPhase: 2, title: 'Screening calls and email' },
  { id: 'ad-copy', group: 'administrative', minPhase: 2, title: 'Writing ad copy' },
  { id: 'social-media', group: 'administrative', minPhase: 2, title: 'Social media' },
  { id: 'bookkeeping', group: 'administrative', minPhase: 2, title: 'Bookkeeping' },
  { id: 'website', group: 'administrative', minPhase: 2, title: 'Website' },
  { id: 'calendar-management', group: 'executive', minPhase: 3, title: "Managing the client's daily schedule" },
  { id: 'sales-pipeline', group: 'executive', minPhase: 3, title: 'Tracking sales progress' },
  { id: 'booking-appointments', group: 'executive', minPhase: 3, title: 'Booking appointments' },
  { id: 'decisions', group: 'executive', minPhase: 3, title: "Small decisions on the client's behalf" },
];

const BY_ID = new Map(DUTY_CATEGORIES.map((c) => [c.id, c]));

/** An engagement with no phase set allows every category. */
export function isCategoryAllowedInPhase(phase: Phase | null, category: string): boolean {
  const c = BY_ID.get(category);
  if (!c) return false;
  return phase === null || c.minPhase <= phase;
}

/** One entry per phase change, in order; `from` is an ISO instant. The first is the engagement's start. */
export interface PhasePeriod {
  phase: Phase | null;
  from: string;
}

/** The phase in force at instant `at` (ISO), or undefined before the engagement started. */
export function phaseAt(history: readonly PhasePeriod[], at: string): Phase | null | undefined {
  const t = Date.parse(at);
  let current: Phase | null | undefined;
  for (const p of history) {
    if (Date.parse(p.from) <= t) current = p.phase;
    else break;
  }
  return current;
}

/** "Is this category allowed on this engagement at time T?" from a read model's phase history. */
export function isCategoryAllowedAt(history: readonly PhasePeriod[], category: string, at: string): boolean {
  const phase = phaseAt(history, at);
  return phase !== undefined && isCategoryAllowedInPhase(phase, category);
}
