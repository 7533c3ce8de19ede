// SNS subscription filter policies on message attributes, the part the README uses: each key
// names an attribute and lists accepted strings ("exact matching"); a message is delivered only
// when every key matches (AND across keys, OR within one key's list), and a message without the
// attribute does not match. Operators (prefix, anything-but, numeric, exists, ...) are not
// rehearsed here: a policy using them is refused rather than guessed at.
// https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html
// https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html

/** A filter policy, as the FilterPolicy subscription attribute holds it (parsed). */
export type FilterPolicy = Record<string, unknown>;

/** True when SNS would deliver a message with these String attributes under the policy. */
export function matchesFilterPolicy(policy: FilterPolicy, attributes: Record<string, string>): boolean {
  return Object.entries(policy).every(([key, accepted]) => {
    if (!Array.isArray(accepted) || !accepted.every((value) => typeof value === 'string')) {
      throw new Error(`filter policy key "${key}": only lists of exact strings are rehearsed locally`);
    }
    const value = attributes[key];
    return value !== undefined && accepted.includes(value);
  });
}
