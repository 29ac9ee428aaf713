/**
 * The MEGA routing message attributes: the publishers write them for MEGA payloads so that an SNS
 * filter policy (or a Lambda filter) can route JSON and BSON bodies alike without reading the body.
 * Names follow the SNS/SQS rules (letters, digits, `_`, `-`, `.`; no leading, trailing or double dot;
 * no `AWS.`/`Amazon.` prefix). `mega.domain` is left out when the event has no (or an empty) domain.
 */
export const ROUTING_ATTRIBUTE_NAMES = {
  name: 'mega.name',
  domain: 'mega.domain',
  version: 'mega.version',
} as const;

/** Message attributes with these names are the library's; a caller may not set them alongside the routing attributes. */
export const ROUTING_PREFIX = 'mega.';
