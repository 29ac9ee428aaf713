#!/usr/bin/env node
// The `sqs-mega` executable (the package's bin). Everything but process wiring is in ./cli.ts.

// On Node 20 the SDK warns that its support ends in January 2027 (22 is its floor then); CLI output
// is no place for it. This is the SDK's own switch, read when a client is created, so set it before
// any command runs. Node 22 and newer get no warning: nothing to switch off there.
if (Number(process.versions.node.split('.')[0]) < 22) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

// `sqs-mega consume --json | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

const { runCli } = await import('./cli.js');
const { processIO } = await import('./io.js');
process.exitCode = await runCli(process.argv.slice(2), processIO());
