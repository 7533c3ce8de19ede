// Route 53 and CloudWatch document the same tag limits: a key of 1 to 128 characters, a value
// of at most 256.
// https://docs.aws.amazon.com/Route53/latest/APIReference/API_Tag.html
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Tag.html
const MAX_KEY = 128;
const MAX_VALUE = 256;

/** Why tags would be refused by Route 53 or CloudWatch (empty when they are fine). */
export function tagProblems(
  tags: readonly { Key?: string | undefined; Value?: string | undefined }[],
): string[] {
  const problems: string[] = [];
  for (const { Key: key = '', Value: value = '' } of tags) {
    if (key.length < 1 || key.length > MAX_KEY) {
      problems.push(
        `Value '${key}' at 'tags.key' failed to satisfy constraint: Member must have length between 1 and ${MAX_KEY} (got ${key.length})`,
      );
    }
    if (value.length > MAX_VALUE) {
      problems.push(
        `Value at 'tags.${key}.value' failed to satisfy constraint: Member must have length less than or equal to ${MAX_VALUE} (got ${value.length})`,
      );
    }
  }
  return problems;
}
