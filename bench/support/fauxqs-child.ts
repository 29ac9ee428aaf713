// Runs a fauxqs server in its own process so that the server's CPU time is not charged to the
// consumer under test. The parent learns the address over IPC and ends us by disconnecting.
import { startFauxqs } from 'fauxqs';

const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
process.send?.({ address: server.address });

const stop = (): void => {
  void server.stop().finally(() => process.exit(0));
};
process.on('disconnect', stop);
process.on('SIGTERM', stop);
