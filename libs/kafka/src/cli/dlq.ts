/**
 * `npm run dlq -- list | show <dlq-topic> [--limit n] [--json] | replay <dlq-topic>`: the dead-letter
 * topics of a cluster (KAFKA_BROKERS, default 127.0.0.1:9092) for ops. See DeadLetters.
 */
import { createKafka } from '../kafka';
import { DeadLetters } from '../dead-letters';

const USAGE = 'usage: npm run dlq -- list\n       npm run dlq -- show <topic>.dlq [--limit n] [--json]\n       npm run dlq -- replay <topic>.dlq\n';

export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), env = process.env): Promise<number> {
  const [command, topic, ...rest] = argv;
  const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
  const needsTopic = command === 'show' || command === 'replay';
  if (!['list', 'show', 'replay'].includes(command ?? '') || (needsTopic && (!topic || !topic.endsWith('.dlq')))) {
    out(USAGE);
    return 2;
  }
  const limitAt = rest.indexOf('--limit');
  const limit = limitAt >= 0 ? Number(rest[limitAt + 1]) : 50;
  if (!Number.isInteger(limit) || limit < 1) {
    out(`--limit must be a whole number from 1\n${USAGE}`);
    return 2;
  }
  const dlq = new DeadLetters(createKafka({ brokers, clientId: 'vaops-dlq', logger: { warn: () => undefined, error: () => undefined } }));
  switch (command) {
    case 'list': {
      const topics = await dlq.list();
      if (topics.length === 0) out('no dead-letter topics\n');
      for (const t of topics) out(`${t.topic}\t${t.messages} messages\t${t.notReplayed} not replayed\n`);
      return 0;
    }
    case 'show': {
      const letters = await dlq.show(topic, limit);
      for (const l of letters) {
        if (rest.includes('--json')) out(`${JSON.stringify(l)}\n`);
        else {
          const h = l.headers;
          out(`${topic} ${l.partition}@${l.offset} key=${l.key ?? '-'} from ${h['dlq-original-topic'] ?? '?'} ${h['dlq-original-partition'] ?? '?'}@${h['dlq-original-offset'] ?? '?'} after ${h['dlq-attempts'] ?? '?'} attempt(s) by ${h['dlq-consumer-group'] ?? '?'} at ${h['dlq-failed-at'] ?? '?'}\n  error: ${h['dlq-error'] ?? '(none)'}\n  value: ${l.value.slice(0, 300)}\n`);
        }
      }
      if (letters.length === 0) out(`${topic} holds no dead letters\n`);
      return 0;
    }
    default: {
      const r = await dlq.replay(topic);
      out(`${topic}: replayed ${r.replayed} to their original topics${r.skipped ? `, skipped ${r.skipped} without a dlq-original-topic header` : ''}\n`);
      return 0;
    }
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`dlq: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
