// How SQS and SNS count a message's attributes against its size limit (publishers and dead letters alike).

/** A message attribute in the AWS SDK's own shape (SQS and SNS share it). */
export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

/** Bytes the service counts for one attribute: its name, data type and value. */
export function attributeBytes(name: string, value: Partial<AttributeValue>): number {
  return utf8Length(name) + utf8Length(value.DataType ?? '') + valueBytes(value);
}

function valueBytes(value: Partial<AttributeValue>): number {
  if (value.BinaryValue !== undefined) return Math.ceil(value.BinaryValue.length / 3) * 4;
  return value.StringValue === undefined ? 0 : utf8Length(value.StringValue);
}

/** Length of a string in UTF-8 bytes, as the services count it. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
