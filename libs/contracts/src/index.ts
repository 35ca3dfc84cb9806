export * from './envelope';
export * from './topics';
export * from './money';
export * from './clients/v1';
export * from './scheduling/v1';
export * from './duty-catalog';
export * from './time-tracking/v1';
export * from './billing/v1';
