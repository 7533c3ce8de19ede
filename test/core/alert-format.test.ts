import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertId, subject } from '../../shared/core/alerts.ts';
import { asciiName } from '../../shared/core/alert-subject.ts';
import { hostnameProblem } from '../../shared/core/dns-name.ts';
import { alertExamples } from '../fixtures/alert-examples.ts';

// SNS Publish: "must be ASCII text that begins with a letter, number, or punctuation mark; must not
// include line breaks or control characters; and must be less than 100 characters long."
// https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
const SNS_SUBJECT = /^[!-~][ -~]{0,98}$/;

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$/);
const validName = fc
  .array(label, { minLength: 2, maxLength: 8 })
  .map((labels) => labels.join('.'))
  .filter((name) => hostnameProblem(name) === undefined);

describe('alert subjects', () => {
  it('every builder gives a subject SNS accepts for the longest valid chain name (253 characters)', () => {
    const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
    expect(long).toHaveLength(253);
    for (const alert of Object.values(alertExamples())) {
      const renamed = subject(long, alert.subject.slice(alert.subject.indexOf(': ') + 2));
      expect(renamed).toMatch(SNS_SUBJECT);
      expect(renamed.startsWith('aaaa')).toBe(true);
    }
  });

  it('keeps what happened whole and cuts the chain name with an ASCII "..."', () => {
    const long = `${'x'.repeat(200)}.example.com`;
    const s = subject(long, 'primary -> secondary');
    expect(s).toHaveLength(99);
    expect(s).toMatch(/^x+\.\.\.: primary -> secondary$/);
    expect(s).not.toContain('…');
  });

  it('property: any valid chain name and any text give a subject SNS accepts', () => {
    fc.assert(
      fc.property(validName, fc.string({ unit: 'binary', maxLength: 300 }), (name, what) => {
        expect(subject(name, what)).toMatch(SNS_SUBJECT);
      }),
      { numRuns: 300 },
    );
  });

  it('property: any string as a name (a rejected row can name anything) still gives an ASCII subject', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (name) => {
        expect(subject(name, 'chain row rejected')).toMatch(SNS_SUBJECT);
      }),
      { numRuns: 300 },
    );
  });

  it('writes an internationalised name in its punycode form, as DNS carries it', () => {
    expect(asciiName('bücher.example.com')).toBe('xn--bcher-kva.example.com');
    expect(subject('bücher.example.com', 'chain row rejected')).toBe(
      'xn--bcher-kva.example.com: chain row rejected',
    );
    expect(subject('xn--bcher-kva.example.com', 'x')).toBe('xn--bcher-kva.example.com: x');
    // Not a domain name at all: ASCII kept, the rest marked.
    expect(subject('dépôt\nlive', 'chain row rejected')).toBe('d?p?t live: chain row rejected');
  });
});

describe('alert ids', () => {
  const { TIER_CHANGED: alert } = alertExamples();

  it('the same alert built twice has the same id; another time or another event has another', () => {
    const again = alertExamples().TIER_CHANGED;
    expect(alertId(again)).toBe(alertId(alert));
    expect(alertId(alert)).toMatch(/^[0-9a-f]{16}$/);
    expect(alertId({ ...alert, at: '2026-11-24T03:02:00.000Z' })).not.toBe(alertId(alert));
    expect(alertId({ ...alert, event: 'RECOVERED' })).not.toBe(alertId(alert));
    expect(alertId({ ...alert, detail: { ...alert.detail, failed: [] } })).not.toBe(alertId(alert));
  });

  it('depends on what the alert says, not on how its text is worded', () => {
    expect(alertId({ ...alert, text: 'reworded', subject: 'reworded' })).toBe(alertId(alert));
  });

  it('all ten example alerts have different ids', () => {
    const ids = Object.values(alertExamples()).map(alertId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
