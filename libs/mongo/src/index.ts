export * from './connection';
export * from './mongo-event-store';
export * from './mongo-lease';
export * from './mongo-snapshot-store';
export * from './insert-once';
