import type { Alert } from './alerts.ts';

/** How much of an alert's lists and long strings to keep. */
export interface ShortenLimits {
  /** Items kept of any list (in the detail and in the text's "- " bullet runs). */
  items: number;
  /** Characters kept of any string in the detail and of any line of the text. */
  chars: number;
}

/** Ever tighter limits, tried in order until the published message fits SNS's size limit. */
export const SHORTEN_LEVELS: readonly ShortenLimits[] = [
  { items: 2000, chars: 20_000 },
  { items: 500, chars: 5000 },
  { items: 100, chars: 1000 },
  { items: 20, chars: 300 },
  { items: 5, chars: 120 },
  { items: 0, chars: 60 },
];

/**
 * The alert with long lists and strings cut to the limits, each cut saying how much is not shown
 * (`- ... 1,234 more not shown` in the text, `notShown` counts per list in the detail), so a huge
 * CONFLICT or a long error is delivered shortened instead of refused. Subject and id inputs that
 * are not detail (event, chain, tier, at) are untouched.
 */
export function shortenAlert(alert: Alert, limits: ShortenLimits): Alert {
  const notShown: Record<string, number> = {};
  const detail = shortenValue(alert.detail, limits, '', notShown) as Record<string, unknown>;
  return {
    ...alert,
    text: shortenText(alert.text, limits),
    detail: Object.keys(notShown).length > 0 ? { ...detail, notShown } : detail,
  };
}

function shortenValue(
  value: unknown,
  limits: ShortenLimits,
  path: string,
  notShown: Record<string, number>,
): unknown {
  if (typeof value === 'string') return shortenString(value, limits.chars);
  if (Array.isArray(value)) {
    if (value.length > limits.items) notShown[path] = value.length - limits.items;
    return value
      .slice(0, limits.items)
      .map((item, i) => shortenValue(item, limits, `${path}[${String(i)}]`, notShown));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
        key,
        shortenValue(inner, limits, path ? `${path}.${key}` : key, notShown),
      ]),
    );
  }
  return value;
}

function shortenString(text: string, chars: number): string {
  if (text.length <= chars) return text;
  return `${text.slice(0, chars)} ... (${count(text.length - chars)} more characters not shown)`;
}

/** Runs of "- " lines keep their first items; every line keeps its first chars. */
function shortenText(text: string, limits: ShortenLimits): string {
  const out: string[] = [];
  let run = 0;
  let dropped = 0;
  const flush = () => {
    if (dropped > 0) out.push(`- ... ${count(dropped)} more not shown`);
    run = 0;
    dropped = 0;
  };
  for (const line of text.split('\n')) {
    if (!line.startsWith('- ')) {
      flush();
      out.push(shortenString(line, limits.chars));
      continue;
    }
    run++;
    if (run > limits.items) dropped++;
    else out.push(shortenString(line, limits.chars));
  }
  flush();
  return out.join('\n');
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
