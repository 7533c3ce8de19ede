import { describe, expect, it } from 'vitest';
import { stackConfigFrom } from '../../infra/stack-config.ts';

// Values as cdk.context.json or `-c key=` can hand them to the app. A value that is given but
// cannot be used must stop the synth with a line naming it; it must never be dropped for the
// default (which, for allowedNameSuffixes, silently widens the IAM policy to every name).
const required = { hostedZoneIds: 'Z1234567890ABC', alertEmail: 'ops@example.com' };
const settings = (values: Record<string, unknown>) => () =>
  stackConfigFrom((key) => ({ ...required, ...values })[key]);

describe('deployment settings given in an unusable shape', () => {
  it.each([
    ['allowedNameSuffixes', true],
    ['allowedNameSuffixes', { 'example.com': true }],
    ['resyncMinutes', true],
    ['opsEmail', false],
    ['ownerId', { id: 'blue' }],
  ])('refuse %s = %j in one line naming it, instead of using the default', (key, value) => {
    expect(settings({ [key]: value })).toThrow(new RegExp(`^-c ${key}: `));
  });

  it('name the hosted zone value that was given, not "is required", when it has the wrong shape', () => {
    expect(settings({ hostedZoneIds: { id: 'Z1234567890ABC' } })).toThrow(
      /^-c hostedZoneIds: (?!is required)/,
    );
  });
});

describe('deployment settings given as an empty `-c key=`', () => {
  // `-c alertEmail=` is refused; the same slip on the other keys silently takes the default
  // (ownerId=default changes what this deployment owns; allowedNameSuffixes= drops the IAM narrowing).
  it.each(['ownerId', 'allowedNameSuffixes', 'opsEmail', 'resyncMinutes'])(
    'refuse an empty %s instead of silently using the default',
    (key) => {
      expect(settings({ [key]: '' })).toThrow(new RegExp(`^-c ${key}: `));
    },
  );
});

describe('a bad hosted zone id written as the API writes it', () => {
  it('names the value as it was typed', () => {
    expect(settings({ hostedZoneIds: '/hostedzone/z12' })).toThrow(
      '-c hostedZoneIds: "/hostedzone/z12" is not a hosted zone id',
    );
  });
});
