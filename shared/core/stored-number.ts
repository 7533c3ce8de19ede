/**
 * A number from a row that a JavaScript number cannot hold exactly (DynamoDB keeps up to 38
 * digits and exponents to ±125; a double keeps about 16 digits), kept as the text DynamoDB
 * returned. Validation rejects it naming the value as stored, so a row is never read, built or
 * reported with a rounded value.
 */
export class StoredNumber {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }

  /** JSON has no exact form for it either: written as its text. */
  toJSON(): string {
    return this.text;
  }
}

/**
 * A DynamoDB number as a JavaScript value: the number itself when it reads back as the decimal
 * written (`60`, `1.5`, `1E+1`), else a StoredNumber (`60.0000000000000000000000000001`,
 * `9007199254740993`). Never throws, whatever the text: the SDK's own reading throws on
 * `12345678901234567890.5` and turns large integers into BigInts, which JSON cannot write.
 */
export function readStoredNumber(text: string): number | StoredNumber {
  const value = Number(text);
  const written = canonicalDecimal(text);
  return Number.isFinite(value) && written !== undefined && canonicalDecimal(String(value)) === written
    ? value
    : new StoredNumber(text);
}

/** A decimal as `<sign><digits without leading or trailing zeros>e<exponent>`, so equal values compare equal. */
function canonicalDecimal(text: string): string | undefined {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  if (whole === '' && fraction === '') return undefined;
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  if (digits === '') return '0';
  const significant = digits.replace(/0+$/, '');
  const power = Number(exponent) - fraction.length + (digits.length - significant.length);
  return `${sign === '-' ? '-' : ''}${significant}e${power}`;
}
