import { expect } from 'chai';
import { COMMANDS } from '../../src/cli/cli.js';
import { runChild, runInProcess } from './run.js';

describe('cli: help and usage errors', () => {
  it('the executable lists every command on --help and exits 0', async () => {
    const run = await runChild(['--help']);
    expect(run.code).to.equal(0);
    for (const name of ['publish', 'consume', 'peek', 'decode', 'match', 'listen', 'demo']) expect(run.stdout).to.match(new RegExp(`^  ${name} `, 'm'));
    expect(run.stderr).to.equal('');
  });

  it('without a command, prints the command list and exits 2', async () => {
    const run = await runInProcess([]);
    expect(run.code).to.equal(2);
    expect(run.stdout).to.contain('Usage: sqs-mega <command>');
  });

  for (const command of COMMANDS) {
    it(`${command.name} --help shows usage, every option and exits 0`, async () => {
      const run = await runInProcess([command.name, '--help']);
      expect(run.code).to.equal(0);
      expect(run.stdout).to.contain(`Usage:\n  sqs-mega ${command.name}`);
      for (const option of [...Object.keys(command.options), 'help']) expect(run.stdout).to.contain(`--${option}`);
      expect(run.stderr).to.equal('');
    });
  }

  it('`help <command>` is the same as `<command> --help`', async () => {
    const a = await runInProcess(['help', 'decode']);
    const b = await runInProcess(['decode', '-h']);
    expect(a.stdout).to.equal(b.stdout);
  });

  it('an unknown command exits 2 and names it', async () => {
    const run = await runInProcess(['pubish']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('unknown command "pubish"');
  });

  it('an unknown option exits 2, names the option and points at --help', async () => {
    const run = await runInProcess(['decode', '--frobnicate', 'x']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain("'--frobnicate'");
    expect(run.stderr).to.contain('sqs-mega decode --help');
  });

  it('a missing argument exits 2 and names it', async () => {
    const run = await runInProcess(['peek']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('missing <queue-url>');
  });

  it('a bad number exits 2 and names the flag and its range', async () => {
    const run = await runInProcess(['peek', 'http://127.0.0.1:1/000000000000/q', '--wait', '30']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('--wait must be an integer from 0 to 20, got "30"');
  });

  it('a queue name where a URL belongs exits 2 and shows what a queue URL looks like', async () => {
    for (const argv of [['peek', 'orders'], ['listen', 'src/cli/demo/subscribers.ts', 'orders']]) {
      const run = await runInProcess(argv);
      expect(run.code, argv.join(' ')).to.equal(2);
      expect(run.stderr).to.contain('queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/orders');
    }
  });

  it('a bad endpoint exits 2 and names where it came from', async () => {
    const run = await runInProcess(['peek', 'http://127.0.0.1:1/000000000000/q'], { env: { AWS_ENDPOINT_URL: 'not a url' } });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('AWS_ENDPOINT_URL is not a URL');
  });
});
