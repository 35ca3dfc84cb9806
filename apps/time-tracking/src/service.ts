import type { ServiceDescriptor } from '@vaops/platform';

/** The time-tracking service: its name and default port (PORT overrides it). */
export const SERVICE: ServiceDescriptor = { name: 'time-tracking', port: 3003 };
