import { testDatabase } from '@vaops/testing';
import { ConfigError } from '../config/config';
import { keyringMasterKey, MongoPersonKeyStore } from './mongo-person-keys';
import { DEV_MASTER_KEY } from './person-keys';
import { describePersonKeysContract } from './person-keys.contract';

describePersonKeysContract('MongoDB (the local server)', async () => {
  const db = await testDatabase('keyring');
  return { store: new MongoPersonKeyStore(() => db.db), teardown: () => db.drop() };
});

describe('the keyring master key', () => {
  it('is required in production, 32 bytes base64, the development key elsewhere', () => {
    expect(() => keyringMasterKey({}, 'production')).toThrow(ConfigError);
    expect(() => keyringMasterKey({ VAOPS_KEYRING_MASTER_KEY: Buffer.alloc(16).toString('base64') }, 'production')).toThrow(/32 bytes/);
    expect(keyringMasterKey({ VAOPS_KEYRING_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') }, 'production').equals(Buffer.alloc(32, 1))).toBe(true);
    expect(keyringMasterKey({}, 'development').equals(DEV_MASTER_KEY)).toBe(true);
  });
});
