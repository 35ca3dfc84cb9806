import type { SlotPolicy } from '../calendar.decider';

/** For specs: an assistant in London working 09:00 to 17:00 on weekdays, an agency on UTC, no buffer. */
export const weekdaysInLondon: SlotPolicy = {
  bufferMinutes: 0,
  agencyZone: 'UTC',
  assistantZone: 'Europe/London',
  workingHours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })),
  allowOutsideWorkingHours: false,
};

/** The instant the specs decide at: Monday 2026-03-09, 08:00 UTC. */
export const MONDAY_MORNING = '2026-03-09T08:00:00.000Z';
