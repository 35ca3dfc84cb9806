#!/usr/bin/env node
'use strict';
// Local, Docker-free infrastructure: a real single-node Apache Kafka 3.9 broker (KRaft) from the
// Maven Central jars and FerretDB v1 (MongoDB wire protocol, SQLite backend) built from the Go module
// proxy, with our patch (indexed filters, atomic single-document writes), through our own launcher
// (infra/local/ferretdb). Both run as detached processes whose pids,
// logs and data live under .infra/ (gitignored).
//
//   node infra/local/infra.cjs up|down|status|ensure [--profile dev|test] [--fresh]
//
// The `test` profile uses other ports and its own data, so `npm test` never collides with `npm start`.
// Also usable as a module: const { up, down } = require('./infra.cjs').

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const crypto = require('node:crypto');

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = process.env.VAOPS_INFRA_CACHE || path.join(ROOT, '.infra');
const KAFKA_LIBS = path.join(CACHE, 'kafka', 'libs');
const FERRET_BIN = path.join(CACHE, 'bin', 'vaops-ferretdb');
const KAFKA_VERSION = '3.9.1';

const envPort = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback);

// VAOPS_KAFKA_PORT, VAOPS_KAFKA_CONTROLLER_PORT and VAOPS_MONGO_PORT move either profile elsewhere.
const PROFILES = {
  dev: {
    kafkaPort: envPort('VAOPS_KAFKA_PORT', 9092),
    controllerPort: envPort('VAOPS_KAFKA_CONTROLLER_PORT', 9093),
    mongoPort: envPort('VAOPS_MONGO_PORT', 27017),
  },
  test: {
    kafkaPort: envPort('VAOPS_KAFKA_PORT', 19092),
    controllerPort: envPort('VAOPS_KAFKA_CONTROLLER_PORT', 19093),
    mongoPort: envPort('VAOPS_MONGO_PORT', 37017),
  },
  // the fault suite's own pair, which it SIGKILLs and restarts (apps/system-e2e/src/fault)
  fault: {
    kafkaPort: envPort('VAOPS_FAULT_KAFKA_PORT', 29092),
    controllerPort: envPort('VAOPS_FAULT_KAFKA_CONTROLLER_PORT', 29093),
    mongoPort: envPort('VAOPS_FAULT_MONGO_PORT', 47017),
  },
};

const READY_DEADLINE_MS = Number(process.env.VAOPS_INFRA_DEADLINE_MS || 120_000);

function log(msg) {
  process.stderr.write(`[infra] ${msg}\n`);
}

class InfraError extends Error {}

function have(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

function requireTool(cmd, args, why) {
  if (!have(cmd, args)) {
    throw new InfraError(`'${cmd}' was not found on PATH: it is needed ${why}.`);
  }
}

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.error || r.status !== 0) {
    throw new InfraError(`${cmd} ${args.join(' ')} failed (${r.error ? r.error.message : `exit ${r.status}`})`);
  }
}

// ---------------------------------------------------------------- downloads and builds (cached)

function ensureKafkaJars() {
  const marker = path.join(KAFKA_LIBS, `kafka_2.13-${KAFKA_VERSION}.jar`);
  if (fs.existsSync(marker) && fs.readdirSync(KAFKA_LIBS).some((f) => f.startsWith('slf4j-reload4j'))) return;
  requireTool('mvn', ['-v'], 'to fetch the Kafka jars from Maven Central (install Maven 3.8+)');
  log(`fetching Kafka ${KAFKA_VERSION} jars from Maven Central into ${KAFKA_LIBS}`);
  run('mvn', ['-q', '-B', '-f', path.join(__dirname, 'kafka', 'pom.xml'), 'dependency:copy-dependencies',
    '-DincludeScope=runtime', `-DoutputDirectory=${KAFKA_LIBS}`]);
}

const FERRET_MODULE = 'github.com/FerretDB/FerretDB';
const FERRET_PATCH = path.join(__dirname, 'ferretdb', 'patches', 'ferretdb-v1.24.2-vaops.patch');

/**
 * FerretDB v1.24.2 with our patch (infra/local/ferretdb/patches): filters pushed down to SQLite
 * indexes, and atomic single-document writes. The module comes from the Go module proxy; the patch is
 * applied to a copy of it under .infra/, which a replace directive in a copy of our launcher's go.mod
 * points at, so nothing outside .infra/ changes.
 */
function ensureFerretBinary() {
  const src = path.join(__dirname, 'ferretdb');
  const stamp = crypto.createHash('sha256')
    .update(fs.readFileSync(path.join(src, 'go.mod')))
    .update(fs.readFileSync(path.join(src, 'main.go')))
    .update(fs.readFileSync(FERRET_PATCH))
    .digest('hex');
  const stampFile = `${FERRET_BIN}.sha256`;
  if (fs.existsSync(FERRET_BIN) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return;
  requireTool('go', ['version'], 'to build the FerretDB launcher (install Go 1.22+)');
  requireTool('git', ['--version'], 'to apply our FerretDB patch');
  log('building the FerretDB v1 launcher with our patch (first time only; takes a minute or two)');
  const env = { ...process.env, GOFLAGS: '-mod=mod -buildvcs=false' };
  const version = /require github\.com\/FerretDB\/FerretDB (v[\w.-]+)/.exec(fs.readFileSync(path.join(src, 'go.mod'), 'utf8'))[1];
  const dl = spawnSync('go', ['mod', 'download', '-json', `${FERRET_MODULE}@${version}`], { cwd: src, env, encoding: 'utf8' });
  if (dl.status !== 0) throw new InfraError(`go mod download ${FERRET_MODULE}@${version} failed:\n${dl.stderr}${dl.stdout}`);
  const moduleDir = JSON.parse(dl.stdout).Dir;

  const build = path.join(CACHE, 'ferretdb-build');
  fs.rmSync(build, { recursive: true, force: true });
  const patched = path.join(build, 'ferretdb-src');
  fs.cpSync(moduleDir, patched, { recursive: true });
  makeWritable(patched); // the module cache is read-only
  // GIT_CEILING_DIRECTORIES: git must not take .infra/ for a part of this checkout (it would patch there)
  run('git', ['apply', '-p1', FERRET_PATCH], { cwd: patched, env: { ...process.env, GIT_CEILING_DIRECTORIES: build } });
  for (const f of ['main.go', 'go.sum']) fs.copyFileSync(path.join(src, f), path.join(build, f));
  fs.writeFileSync(path.join(build, 'go.mod'), `${fs.readFileSync(path.join(src, 'go.mod'), 'utf8')}\nreplace ${FERRET_MODULE} ${version} => ./ferretdb-src\n`);

  fs.mkdirSync(path.dirname(FERRET_BIN), { recursive: true });
  run('go', ['build', '-o', FERRET_BIN, '.'], { cwd: build, env });
  fs.writeFileSync(stampFile, stamp);
}

function makeWritable(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    fs.chmodSync(p, entry.isDirectory() ? 0o755 : 0o644);
    if (entry.isDirectory()) makeWritable(p);
  }
}

function ensure() {
  requireTool('java', ['-version'], 'to run the Kafka broker (install Java 17)');
  ensureKafkaJars();
  ensureFerretBinary();
}

// ---------------------------------------------------------------- processes

function profileDirs(profile) {
  const base = path.join(CACHE, 'run', profile);
  return {
    base,
    kafkaData: path.join(base, 'kafka-data'),
    // named after the patch's storage format: its indexes are not those of plain FerretDB's data folders
    mongoData: path.join(base, 'ferretdb-data-vaops1'),
    kafkaPid: path.join(base, 'kafka.pid'),
    mongoPid: path.join(base, 'ferretdb.pid'),
    kafkaLog: path.join(base, 'kafka.log'),
    mongoLog: path.join(base, 'ferretdb.log'),
  };
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readPid(file) {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function portOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => { s.destroy(); resolve(false); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tail(file, lines = 25) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function startDetached(cmd, args, logFile, pidFile) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  fs.writeFileSync(pidFile, String(child.pid));
  child.unref();
  return child.pid;
}

function writeKafkaConfig(dirs, p) {
  const props = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${p.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${p.kafkaPort},CONTROLLER://127.0.0.1:${p.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${p.kafkaPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${dirs.kafkaData}`,
    'num.partitions=3',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    // fewer internal partitions: the broker is ready sooner on 2 cores
    'offsets.topic.num.partitions=6',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=3',
    'group.initial.rebalance.delay.ms=0',
    // topics are provisioned explicitly (libs/kafka); a typo must fail, not create a topic
    'auto.create.topics.enable=false',
    'delete.topic.enable=true',
    // two cores: one network thread and two request handlers (each idle thread polls its queue)
    'num.network.threads=1',
    'num.io.threads=2',
    // quiet at rest: no no-op record in the metadata log every 500 ms (one node has no follower to keep
    // fenced), and the broker's heartbeat to its own controller every 4 s instead of 2 s. A broker
    // restarted after a crash waits out its old registration's session before it serves (the fault
    // suite measured 53 s with a 30 s session, 14 s with 12 s), so the session stays short.
    'metadata.max.idle.interval.ms=0',
    'broker.heartbeat.interval.ms=4000',
    'broker.session.timeout.ms=12000',
    // and its per-partition chores less often (their cost grows with the partitions a test broker
    // accumulates): the high-watermark checkpoint every 60 s, not 5 s (a single replica's high
    // watermark is its log end again when it leads after a restart), the cleaner's look every 60 s
    'replica.high.watermark.checkpoint.interval.ms=60000',
    'log.cleaner.backoff.ms=60000',
  ].join('\n');
  const propsFile = path.join(dirs.base, 'server.properties');
  fs.writeFileSync(propsFile, `${props}\n`);
  const log4j = [
    'log4j.rootLogger=WARN, file',
    'log4j.appender.file=org.apache.log4j.FileAppender',
    `log4j.appender.file.File=${path.join(dirs.base, 'kafka-server.log')}`,
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.kafka.server.KafkaServer=INFO',
    'log4j.logger.kafka.server.BrokerServer=INFO',
  ].join('\n');
  const log4jFile = path.join(dirs.base, 'log4j.properties');
  fs.writeFileSync(log4jFile, `${log4j}\n`);
  return { propsFile, log4jFile };
}

async function waitFor(what, pid, logFile, check) {
  const deadline = Date.now() + READY_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (!alive(pid)) {
      throw new InfraError(`${what} exited during start-up. Last lines of ${logFile}:\n${tail(logFile)}`);
    }
    if (await check()) return;
    await sleep(250);
  }
  throw new InfraError(`${what} was not ready within ${READY_DEADLINE_MS / 1000}s. Last lines of ${logFile}:\n${tail(logFile)}`);
}

async function kafkaReady(port) {
  if (!(await portOpen(port))) return false;
  let Kafka;
  try {
    ({ Kafka } = require(require.resolve('kafkajs', { paths: [ROOT] })));
  } catch {
    return true; // kafkajs not installed yet: an open port is the best we can check
  }
  const admin = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: 0, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function mongoReady(port) {
  if (!(await portOpen(port))) return false;
  let MongoClient;
  try {
    ({ MongoClient } = require(require.resolve('mongodb', { paths: [ROOT] })));
  } catch {
    return true;
  }
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/`, { serverSelectionTimeoutMS: 1000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

function urls(profile) {
  const p = PROFILES[profile];
  return {
    kafkaBrokers: `127.0.0.1:${p.kafkaPort}`,
    mongoUrl: `mongodb://127.0.0.1:${p.mongoPort}/`,
  };
}

async function startKafka(dirs, p) {
  const existing = readPid(dirs.kafkaPid);
  if (existing && alive(existing)) {
    await waitFor('Kafka', existing, dirs.kafkaLog, () => kafkaReady(p.kafkaPort));
    return;
  }
  if (await portOpen(p.kafkaPort)) {
    throw new InfraError(`port ${p.kafkaPort} is taken by another process; stop it or use another profile`);
  }
  const { propsFile, log4jFile } = writeKafkaConfig(dirs, p);
  const cp = `${KAFKA_LIBS}/*`;
  const log4jOpt = `-Dlog4j.configuration=file:${log4jFile}`;
  if (!fs.existsSync(path.join(dirs.kafkaData, 'meta.properties'))) {
    const clusterId = spawnSync('java', ['-cp', cp, log4jOpt, 'kafka.tools.StorageTool', 'random-uuid'], { encoding: 'utf8' });
    if (clusterId.status !== 0) throw new InfraError(`kafka StorageTool random-uuid failed:\n${clusterId.stderr}`);
    run('java', ['-cp', cp, log4jOpt, 'kafka.tools.StorageTool', 'format', '-t', clusterId.stdout.trim(),
      '-c', propsFile, '--ignore-formatted'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  // the serial collector: one heap of 512 MB needs no concurrent GC threads (they cost CPU at rest)
  const pid = startDetached('java', ['-Xms512m', '-Xmx512m', '-XX:+UseSerialGC',
    '-Djava.awt.headless=true', log4jOpt, '-cp', cp, 'kafka.Kafka', propsFile], dirs.kafkaLog, dirs.kafkaPid);
  await waitFor('Kafka', pid, dirs.kafkaLog, () => kafkaReady(p.kafkaPort));
}

async function startMongo(dirs, p) {
  const existing = readPid(dirs.mongoPid);
  if (existing && alive(existing)) {
    await waitFor('FerretDB', existing, dirs.mongoLog, () => mongoReady(p.mongoPort));
    return;
  }
  if (await portOpen(p.mongoPort)) {
    throw new InfraError(`port ${p.mongoPort} is taken by another process; stop it or use another profile`);
  }
  const pid = startDetached(FERRET_BIN, ['-listen', `127.0.0.1:${p.mongoPort}`, '-data', dirs.mongoData],
    dirs.mongoLog, dirs.mongoPid);
  await waitFor('FerretDB', pid, dirs.mongoLog, () => mongoReady(p.mongoPort));
}

async function up({ profile = 'dev', fresh = false } = {}) {
  const p = PROFILES[profile];
  if (!p) throw new InfraError(`unknown profile ${profile}`);
  ensure();
  const dirs = profileDirs(profile);
  if (fresh) {
    await down({ profile, quiet: true });
    fs.rmSync(dirs.base, { recursive: true, force: true });
  }
  fs.mkdirSync(dirs.kafkaData, { recursive: true });
  fs.mkdirSync(dirs.mongoData, { recursive: true });
  const started = Date.now();
  const results = await Promise.allSettled([startKafka(dirs, p), startMongo(dirs, p)]);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    // one server up and the other not is no use to anyone: stop what this profile has running (a CI run
    // once left its broker behind when FerretDB's port was taken) and say why
    await down({ profile, quiet: true });
    throw failed.reason;
  }
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s: Kafka ${KAFKA_VERSION} at ${urls(profile).kafkaBrokers}, FerretDB at ${urls(profile).mongoUrl}`);
  return urls(profile);
}

async function stopPid(name, pidFile, quiet) {
  const pid = readPid(pidFile);
  if (!pid || !alive(pid)) {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (alive(pid) && Date.now() < deadline) await sleep(200);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(pidFile, { force: true });
  if (!quiet) log(`stopped ${name} (pid ${pid})`);
}

async function down({ profile = 'dev', quiet = false } = {}) {
  const dirs = profileDirs(profile);
  await Promise.all([stopPid('Kafka', dirs.kafkaPid, quiet), stopPid('FerretDB', dirs.mongoPid, quiet)]);
}

/**
 * SIGKILLs one server of a profile (`kafka` or `ferretdb`), as a crash would, and waits until it is
 * gone; `up` starts it again on the same data. Returns the pid it killed.
 */
async function kill({ profile = 'dev', server }) {
  const dirs = profileDirs(profile);
  const pidFile = server === 'kafka' ? dirs.kafkaPid : server === 'ferretdb' ? dirs.mongoPid : undefined;
  if (!pidFile) throw new InfraError(`unknown server ${server}: kafka or ferretdb`);
  const pid = readPid(pidFile);
  if (!pid || !alive(pid)) throw new InfraError(`${server} of profile ${profile} is not running`);
  process.kill(pid, 'SIGKILL');
  while (alive(pid)) await sleep(50);
  fs.rmSync(pidFile, { force: true });
  return pid;
}

async function status({ profile = 'dev' } = {}) {
  const dirs = profileDirs(profile);
  const p = PROFILES[profile];
  const k = readPid(dirs.kafkaPid);
  const m = readPid(dirs.mongoPid);
  return {
    kafka: { pid: k, running: Boolean(k && alive(k)), ready: await kafkaReady(p.kafkaPort), url: urls(profile).kafkaBrokers },
    ferretdb: { pid: m, running: Boolean(m && alive(m)), ready: await mongoReady(p.mongoPort), url: urls(profile).mongoUrl },
  };
}

module.exports = { up, down, kill, status, ensure, urls, PROFILES, InfraError };

if (require.main === module) {
  const [cmd = 'status', ...rest] = process.argv.slice(2);
  const profileIdx = rest.indexOf('--profile');
  const profile = profileIdx >= 0 ? rest[profileIdx + 1] : 'dev';
  const fresh = rest.includes('--fresh');
  const actions = {
    up: async () => {
      const u = await up({ profile, fresh });
      process.stdout.write(`KAFKA_BROKERS=${u.kafkaBrokers}\nMONGO_URL=${u.mongoUrl}\n`);
    },
    down: () => down({ profile }),
    status: async () => process.stdout.write(`${JSON.stringify(await status({ profile }), null, 2)}\n`),
    ensure: async () => ensure(),
  };
  const action = actions[cmd];
  if (!action) {
    process.stderr.write('usage: infra.cjs up|down|status|ensure [--profile dev|test] [--fresh]\n');
    process.exit(2);
  }
  action().catch((err) => {
    process.stderr.write(`[infra] ${err instanceof InfraError ? err.message : err.stack}\n`);
    process.exit(1);
  });
}
