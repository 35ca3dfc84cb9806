// Rebuilds every read model of the scheduling service from offset zero of the topics it reads, while the
// live service keeps serving; proves equality and swaps. `--force` swaps even when they differ (repair).
//   node -r @swc-node/register apps/scheduling/src/rebuild.ts [--projection name] [--force]
import 'reflect-metadata';
import { runRebuildCli } from '@vaops/platform';
import { SchedulingEventHandlers } from './projections';
import { SERVICE } from './service';

runRebuildCli({ service: SERVICE, handlers: SchedulingEventHandlers }).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`rebuild failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
