import { domainToASCII } from 'node:url';

// SNS Publish: the subject "must be ASCII text that begins with a letter, number, or punctuation
// mark; must not include line breaks or control characters; and must be less than 100 characters
// long." https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
/** The longest subject SNS accepts. */
export const MAX_SUBJECT_LENGTH = 99;

const ELLIPSIS = '...';

/**
 * A name as printable ASCII: an internationalised name becomes its punycode (`xn--`) form, which
 * is how DNS carries it; anything that is not a domain name keeps its ASCII and marks the rest `?`.
 */
export function asciiName(name: string): string {
  const printable = toPrintable(name);
  if (printable === name) return name;
  // URL parsing drops line breaks and tabs silently; such a name is not a domain name anyway.
  if (/\s/.test(name)) return printable;
  const punycode = domainToASCII(name);
  return punycode !== '' && toPrintable(punycode) === punycode ? punycode : printable;
}

/**
 * `<chain>: <what happened>` in SNS's subject rules for any chain name and any text: what
 * happened is kept whole when it fits (it is what a person scans for), the chain name is cut first.
 */
export function alertSubject(chain: string, what: string): string {
  const name = asciiName(chain) || '?';
  const tail = toPrintable(what).replace(/\s+/g, ' ').trim();
  const full = `${name}: ${tail}`;
  if (full.length <= MAX_SUBJECT_LENGTH) return startsPrintable(full);
  // At least 24 characters of the chain name stay, so two long chains' subjects stay apart.
  const tailRoom = MAX_SUBJECT_LENGTH - 2 - Math.min(name.length, 24);
  const shortTail = cut(tail, tailRoom);
  const nameRoom = MAX_SUBJECT_LENGTH - 2 - shortTail.length;
  return startsPrintable(`${cut(name, nameRoom)}: ${shortTail}`);
}

function cut(text: string, room: number): string {
  return text.length <= room ? text : `${text.slice(0, Math.max(room - ELLIPSIS.length, 1))}${ELLIPSIS}`;
}

/** Control characters and line breaks become spaces; other non-ASCII characters `?`. */
function toPrintable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\x00-\x1f\x7f]/g, ' ').replace(/[^\x20-\x7e]/gu, '?');
}

/** SNS wants a letter, number or punctuation mark first, never a space. */
function startsPrintable(subject: string): string {
  const trimmed = subject.trimStart();
  return trimmed.length > 0 ? trimmed : '?';
}
