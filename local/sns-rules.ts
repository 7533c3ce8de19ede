import type { MessageAttributeValue } from '@aws-sdk/client-sns';

// What SNS Publish refuses, as AWS documents it.
// Subject: "must be ASCII text that begins with a letter, number, or punctuation mark; must not
// include line breaks or control characters; and must be less than 100 characters long."
// Message: "at most 256 KB in size (262,144 bytes, not 262,144 characters)".
// https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
// Attributes: "Name, type, and value must not be empty or null. ... All parts of the message
// attribute, including name, type, and value, are included in the message size restriction".
// https://docs.aws.amazon.com/sns/latest/api/API_MessageAttributeValue.html
// Names: A-Z, a-z, 0-9, underscore, hyphen and period; not starting or ending with a period, no
// consecutive periods; up to 256 characters; not starting with "AWS." or "Amazon." (any case).
// Types: String, String.Array, Number, Binary (optionally followed by a custom label).
// https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html

const MAX_SUBJECT = 99;
const MAX_BYTES = 262_144;

/** Why SNS would refuse a Publish's subject, message or attributes (empty when it accepts them). */
export function publishProblems(
  subject: string | undefined,
  message: string,
  attributes: Record<string, MessageAttributeValue> | undefined,
): string[] {
  const problems: string[] = [];
  if (subject !== undefined) {
    if (subject.length === 0 || subject.length > MAX_SUBJECT)
      problems.push(`Subject must be 1 to ${MAX_SUBJECT} characters (got ${subject.length})`);
    if (!/^[\x20-\x7e]*$/.test(subject))
      problems.push('Subject must be printable ASCII, without line breaks or control characters');
    else if (/^\s/.test(subject))
      problems.push('Subject must begin with a letter, number, or punctuation mark');
  }
  if (message.length === 0) problems.push('Empty message');
  for (const [name, value] of Object.entries(attributes ?? {}))
    problems.push(...attributeProblems(name, value));
  const bytes = Buffer.byteLength(message, 'utf8') + attributeBytes(attributes);
  if (bytes > MAX_BYTES)
    problems.push(`Message too long: ${bytes} bytes with its attributes, at most ${MAX_BYTES} allowed`);
  return problems;
}

function attributeProblems(name: string, value: MessageAttributeValue): string[] {
  const problems: string[] = [];
  const where = `Message attribute '${name}'`;
  if (name.length === 0 || name.length > 256) problems.push(`${where}: name must be 1 to 256 characters`);
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..'))
    problems.push(`${where}: name has invalid characters or periods`);
  if (/^(aws|amazon)\./i.test(name)) problems.push(`${where}: name uses a reserved prefix`);
  const type = value.DataType ?? '';
  const base = /^(String\.Array|String|Number|Binary)(\..+)?$/.exec(type)?.[1];
  if (!base) problems.push(`${where}: type must be String, String.Array, Number or Binary (got '${type}')`);
  else if (base === 'Binary') {
    if (!value.BinaryValue || value.BinaryValue.length === 0) problems.push(`${where}: must have a value`);
  } else if (!value.StringValue) problems.push(`${where}: must have a non-empty value`);
  return problems;
}

function attributeBytes(attributes: Record<string, MessageAttributeValue> | undefined): number {
  return Object.entries(attributes ?? {}).reduce(
    (sum, [name, value]) =>
      sum +
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType ?? '') +
      Buffer.byteLength(value.StringValue ?? '') +
      (value.BinaryValue?.length ?? 0),
    0,
  );
}
