// V8 flags every service process runs with. Read by scripts/start.mjs (npm start), libs/testing's
// service processes (tests, the fault suite), bench/stack.ts and infra/docker/Dockerfile;
// `node scripts/services.mjs --check` (run by `npm test`) fails when one of them does not read this file.
module.exports = [
  // No memory reducer: once a process turns idle after a burst of work, V8 otherwise runs up to three
  // full garbage collections to shrink its heap. On a stack of five services that kept the first
  // 30-second windows at rest over 5 % of a core (7.63 % against 3.93 % with the flag, agency-month,
  // docs/performance.md). The heap keeps its size until work triggers the next collection.
  '--no-memory-reducer',
];
