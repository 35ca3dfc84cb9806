import mongoose, { type Connection, type mongo } from 'mongoose';

/**
 * How often the driver's connection pool checks its minimum size (and prunes perished connections).
 * The driver does it every 100 ms and takes no option for it (`minPoolSizeCheckFrequencyMS` is internal);
 * with `minPoolSize` 0 there is nothing to keep, so once a second is enough. It is 10 wake-ups a second
 * less per pool at rest: two idle clients (a service's store and keyring) used 0.42 % of a core with the
 * driver's 100 ms and 0.24 % with 1 s (mongodb 6.20, `docs/performance.md` "Quiet at rest").
 */
export const POOL_CHECK_MS = 1_000;

/**
 * One mongoose connection per service database. Hot paths (appends, projection batches) use the
 * native collections through it: mongoose's document layer costs too much there (mongoose #14719).
 * The MongoClient is made here (mongoose's driver) and handed to mongoose (`setClient`) so its pool's timer can be set
 * before the topology is created.
 */
export async function connectMongo(url: string, dbName: string): Promise<Connection> {
  // mongoose's own driver: setClient takes only its MongoClient; `dbName` is the driver's option for the
  // default database (parsed, not in its types), which mongoose's connection then uses
  const options = {
    dbName,
    serverSelectionTimeoutMS: 10_000,
    // FerretDB v1 has no retryable-write support to speak of; we retry at the command level instead.
    retryWrites: false,
  } as mongo.MongoClientOptions;
  const client = new mongoose.mongo.MongoClient(url, options);
  // read by every ConnectionPool the topology creates (the driver spreads the client's options into each pool's)
  (client.options as { minPoolSizeCheckFrequencyMS?: number }).minPoolSizeCheckFrequencyMS = POOL_CHECK_MS;
  client.setMaxListeners(0);
  await client.connect();
  return mongoose.createConnection().setClient(client);
}

export const isDuplicateKey = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;

export async function pingMongo(conn: Connection): Promise<void> {
  const db = conn.db;
  if (!db) throw new Error('mongo connection is not open');
  await db.command({ ping: 1 });
}
