import type { ServiceDescriptor } from '@vaops/platform';

/** The scheduling service: its name and default port (PORT overrides it). */
export const SERVICE: ServiceDescriptor = { name: 'scheduling', port: 3002 };
