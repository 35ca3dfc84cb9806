export * from './projection-handler';
export * from './projection-transport';
export * from './event-handlers';
