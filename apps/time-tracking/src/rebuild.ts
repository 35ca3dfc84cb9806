// Rebuilds every read model of the time-tracking service from offset zero of the topics it reads, while the
// live service keeps serving; proves equality and swaps. `--force` swaps even when they differ (repair).
//   node -r @swc-node/register apps/time-tracking/src/rebuild.ts [--projection name] [--force]
import 'reflect-metadata';
import { runRebuildCli } from '@vaops/platform';
import { TimeTrackingEventHandlers } from './projections';
import { SERVICE } from './service';

runRebuildCli({ service: SERVICE, handlers: TimeTrackingEventHandlers }).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`rebuild failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
