/** The AppConfig the platform was started with. */
export const APP_CONFIG = Symbol('APP_CONFIG');
/** The Clock every handler reads time from: a ManualClock under VAOPS_TEST_CLOCK=1. */
export const CLOCK = Symbol('CLOCK');
/** `HealthCheck[]` a module registers; /health/ready runs every one found. */
export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
/** The service's EventSourcedRuntime. */
export const RUNTIME = Symbol('RUNTIME');
