import type { ServiceDescriptor } from '@vaops/platform';

/** The billing service: its name and default port (PORT overrides it). */
export const SERVICE: ServiceDescriptor = { name: 'billing', port: 3004 };
