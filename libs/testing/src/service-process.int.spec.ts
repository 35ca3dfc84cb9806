import { createServer, type Server } from 'node:http';
import { freePort, startService } from './service-process';

/**
 * Tests start services in parallel on ports chosen before each starts: a port can go to another process
 * in between. startService must then not take the other process for its service.
 */
describe('startService', () => {
  let impostor: Server;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    // another process on the port (the address the services and tests use), answering every readiness check
    impostor = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
    await new Promise<void>((resolve) => impostor.listen(port, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => impostor.close(() => resolve())));

  it('does not take another process on its port for the service, and says the port was taken', async () => {
    const started = Date.now();
    await expect(startService('clients', { PORT: String(port) })).rejects.toThrow(`port ${port} was taken before clients listened on it`);
    // it knows as soon as the service exits, not after the readiness timeout
    expect(Date.now() - started).toBeLessThan(45_000);
  }, 60_000);
});
