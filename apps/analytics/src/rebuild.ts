// Rebuilds every read model of the analytics service from offset zero of the four topics it reads,
// while the live service keeps serving; proves equality and swaps. `--force` swaps even when they differ.
//   node -r @swc-node/register apps/analytics/src/rebuild.ts [--projection name] [--force]
import 'reflect-metadata';
import { runRebuildCli } from '@vaops/platform';
import { AnalyticsEventHandlers } from './projections';
import { SERVICE } from './service';

runRebuildCli({ service: SERVICE, handlers: AnalyticsEventHandlers }).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`rebuild failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
