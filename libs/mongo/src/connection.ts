import mongoose, { type Connection } from 'mongoose';

/**
 * One mongoose connection per service database. Hot paths (appends, projection batches) use the
 * native collections through it: mongoose's document layer costs too much there (mongoose #14719).
 */
export async function connectMongo(url: string, dbName: string): Promise<Connection> {
  const conn = mongoose.createConnection(url, {
    dbName,
    serverSelectionTimeoutMS: 10_000,
    // FerretDB v1 has no retryable-write support to speak of; we retry at the command level instead.
    retryWrites: false,
  });
  await conn.asPromise();
  return conn;
}

export const isDuplicateKey = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;

export async function pingMongo(conn: Connection): Promise<void> {
  const db = conn.db;
  if (!db) throw new Error('mongo connection is not open');
  await db.command({ ping: 1 });
}
