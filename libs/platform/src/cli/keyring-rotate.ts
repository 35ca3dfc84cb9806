// Wraps every person key again under a new master key (docs/events.md, Personal data: rotation):
//   VAOPS_KEYRING_MASTER_KEY=<new> VAOPS_KEYRING_PREVIOUS_MASTER_KEY=<old> npm run keyring:rotate
// Run it while the services read both (the same two variables), then drop the previous key from them.
// Reads VAOPS_KEYRING_URL (else MONGO_URL) and VAOPS_KEYRING_DB like the services. Exit 1 when a key
// was wrapped under neither (named on stderr, left as it is).
import { loadConfig, type Env } from '../config/config';
import { connectPersonKeys, keyringMasterKey, keyringPreviousMasterKeys } from '../personal-data/mongo-person-keys';
import { rotateMasterKey } from '../personal-data/person-keys';

export async function keyringRotate(env: Env): Promise<{ rewrapped: number; already: number; unreadable: string[] }> {
  const config = loadConfig(env, { serviceName: 'keyring-rotate', port: 0 });
  const previous = keyringPreviousMasterKeys(env);
  if (previous.length !== 1) throw new Error('VAOPS_KEYRING_PREVIOUS_MASTER_KEY must name the one master key being rotated out');
  const { store, close } = await connectPersonKeys(config, env);
  try {
    return await rotateMasterKey(store, previous[0], keyringMasterKey(env, config.environment));
  } finally {
    await close();
  }
}

if (require.main === module) {
  keyringRotate(process.env).then(
    (r) => {
      process.stdout.write(`${JSON.stringify({ rewrapped: r.rewrapped, already: r.already, unreadable: r.unreadable.length })}\n`);
      if (r.unreadable.length > 0) {
        process.stderr.write(`wrapped under neither key, left as they are: ${r.unreadable.join(', ')}\n`);
        process.exitCode = 1;
      }
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
