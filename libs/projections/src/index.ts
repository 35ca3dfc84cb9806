export * from './definition';
export * from './versioned';
export * from './checkpoints';
export * from './hash';
export * from './projection-runner';
export * from './rebuild';
export * from './unit-of-work';
