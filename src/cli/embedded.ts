import { CliFailure } from './errors.js';

export interface EmbeddedServer {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs (an in-memory SQS/SNS server, a dev dependency) on 127.0.0.1 and a free port.
 * Imported only when needed, so the CLI works without it for everything but the embedded demo.
 */
export async function startEmbeddedServer(): Promise<EmbeddedServer> {
  let fauxqs: typeof import('fauxqs');
  try {
    fauxqs = await import('fauxqs');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      throw new CliFailure(
        'the demo runs an embedded SQS/SNS server from the fauxqs package, which is not installed: ' +
          'run `npm install --save-dev fauxqs`, or point the demo at a server with AWS_ENDPOINT_URL',
      );
    }
    throw new CliFailure(`cannot load fauxqs: ${(error as Error).message}`, { cause: error });
  }
  // buildApp + listen on loopback ourselves: startFauxqs binds every interface.
  const app = fauxqs.buildApp({ logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    await app.close();
    throw new CliFailure('the embedded fauxqs server did not report a TCP port');
  }
  return { endpoint: `http://127.0.0.1:${address.port}`, stop: () => app.close() };
}
