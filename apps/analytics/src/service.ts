import type { ServiceDescriptor } from '@vaops/platform';

/** The analytics service: its name and default port (PORT overrides it). */
export const SERVICE: ServiceDescriptor = { name: 'analytics', port: 3005 };
