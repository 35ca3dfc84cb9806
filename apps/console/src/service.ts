import type { ServiceDescriptor } from '@vaops/platform';

/** The web console: its name and default port (PORT overrides it). */
export const SERVICE: ServiceDescriptor = { name: 'console', port: 3000 };
