import { newId } from '@vaops/event-sourcing';
import { testDatabase, testServerUrls, type TestDatabase } from '@vaops/testing';
import { MongoPersonKeyStore } from '../personal-data/mongo-person-keys';
import { PersonKeys } from '../personal-data/person-keys';
import { keyringRotate } from './keyring-rotate';

describe('npm run keyring:rotate (real Mongo-compatible server)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await testDatabase('keyring-rotate');
  });
  afterAll(async () => t.drop());

  it('wraps every key under the new master key; values sealed before read with the new one alone', async () => {
    const [oldKey, newKey] = [Buffer.alloc(32, 5), Buffer.alloc(32, 6)];
    const store = new MongoPersonKeyStore(() => t.db);
    const sealed = await new PersonKeys(store, { masterKey: oldKey }).seal(newId(), 'Ann');
    const env = { MONGO_URL: testServerUrls().mongoUrl, KAFKA_BROKERS: testServerUrls().kafkaBrokers.join(','), VAOPS_KEYRING_DB: t.name, VAOPS_KEYRING_MASTER_KEY: newKey.toString('base64'), VAOPS_KEYRING_PREVIOUS_MASTER_KEY: oldKey.toString('base64'), NODE_ENV: 'test' };
    expect(await keyringRotate(env)).toEqual({ rewrapped: 1, already: 0, unreadable: [] });
    expect(await new PersonKeys(store, { masterKey: newKey }).reveal(sealed)).toBe('Ann');
    expect(await keyringRotate(env)).toEqual({ rewrapped: 0, already: 1, unreadable: [] });
    await expect(keyringRotate({ ...env, VAOPS_KEYRING_PREVIOUS_MASTER_KEY: '' })).rejects.toThrow('VAOPS_KEYRING_PREVIOUS_MASTER_KEY');
  });
});
