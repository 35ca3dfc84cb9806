import type { ServiceDescriptor } from '@vaops/platform';

/** The clients service: its name and default port (PORT overrides it). */
export const SERVICE: ServiceDescriptor = { name: 'clients', port: 3001 };
