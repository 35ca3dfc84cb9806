import { MemoryPersonKeyStore } from './person-keys';
import { describePersonKeysContract } from './person-keys.contract';

describePersonKeysContract('in memory', async () => ({ store: new MemoryPersonKeyStore(), teardown: async () => undefined }));
