import type { Collection, Document, Filter, Sort } from 'mongodb';

export interface QueryPlanCheck {
  /** True when the server answers the query from an index (no collection or table scan). */
  indexed: boolean;
  /** The plan as the server described it (FerretDB: SQLite's EXPLAIN QUERY PLAN lines; MongoDB: stages). */
  plan: string[];
}

/**
 * How the server runs `find(filter)`: on MongoDB 7 the winning plan's stages (IXSCAN vs COLLSCAN), on
 * our FerretDB build SQLite's query plan (`SEARCH ... USING INDEX` vs `SCAN <table>`, where a filter the
 * server could not push down at all shows as a plain scan).
 */
export async function queryPlan<T extends Document>(coll: Collection<T>, filter: Filter<T>, sort?: Sort): Promise<QueryPlanCheck> {
  const cursor = coll.find(filter);
  if (sort) cursor.sort(sort);
  const explained = (await cursor.explain()) as Document;
  const planner = (explained.queryPlanner ?? {}) as Document;
  if (Array.isArray(planner.Plan)) {
    const plan = (planner.Plan as string[]).map((line) => line.replace(/^id=\d+ parent=\d+ notused=\d+ detail=/, ''));
    const scans = plan.some((line) => /^SCAN /.test(line));
    const pushed = explained.filterPushdown === true || plan.some((line) => /USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/.test(line));
    return { indexed: pushed && !scans, plan };
  }
  const stages: string[] = [];
  const walk = (node: Document | undefined): void => {
    if (!node) return;
    if (typeof node.stage === 'string') stages.push(node.stage);
    walk(node.inputStage as Document | undefined);
    for (const child of (node.inputStages as Document[] | undefined) ?? []) walk(child);
  };
  walk(planner.winningPlan as Document | undefined);
  return { indexed: stages.length > 0 && !stages.includes('COLLSCAN'), plan: stages };
}
