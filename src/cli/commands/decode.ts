import { AWS_OPTIONS, awsSettings } from '../aws.js';
import { cliResolver, showMessage } from '../large-payload.js';
import type { Command } from '../command.js';
import { booleanOption, positionals, stringOption } from '../command.js';
import { UsageError } from '../errors.js';
import { readFileOrStdin, readStdin, stripFinalNewline } from '../io.js';
import { decodedView, toJson } from '../render.js';

export const decodeCommand: Command = {
  name: 'decode',
  summary: 'Decode a raw SQS message body (JSON, base64 BSON, SNS envelope, text) into readable JSON.',
  usage: ['<body>', '--file <path>', '< body.txt'],
  description: `The body is classified as the listener would: a JSON object, base64 BSON, an SNS
notification wrapping either, plaintext or binary. The output has the kind (mega, data,
plaintext, binary, invalid), the encoding, the SNS envelope if any, and the payload (MEGA
payloads in their wire form). A pointer written by an AWS Extended Client (a payload offloaded
to S3) is resolved: the payload is fetched and shown, with \`fromS3\` naming the object.
Exits 1 when the body is invalid, after printing why.`,
  options: {
    file: { type: 'string', short: 'f', value: 'PATH', description: "read the body from a file ('-' for stdin)" },
    json: { type: 'boolean', description: 'print one compact JSON line instead of indented JSON' },
    ...AWS_OPTIONS,
  },
  examples: [
    "sqs-mega decode 'cwAAAAJ0eXBlABIAAAB1c2VyX25vdGlmaWNhdGlvbgAC...'",
    'sqs-mega decode --file body.txt',
    'pbpaste | sqs-mega decode',
  ],
  async run(args, io) {
    const [inline] = positionals(args, ['body'], 1);
    const file = stringOption(args, 'file');
    if (inline !== undefined && file !== undefined) throw new UsageError('give the body either as an argument or with --file, not both');
    const body =
      inline !== undefined ? inline : stripFinalNewline(file !== undefined ? await readFileOrStdin(file, io, 'the body') : await readStdin(io, 'body'));
    const { decoded, fromS3 } = await showMessage(cliResolver(awsSettings(args, io.env).sqs), { Body: body });
    const view = fromS3 === undefined ? decodedView(decoded) : { ...decodedView(decoded), fromS3 };
    io.stdout.write(toJson(view, booleanOption(args, 'json') ? undefined : 2) + '\n');
    return decoded.kind === 'invalid' ? 1 : 0;
  },
};
