// Regular-expression subscriptions of KIP-848 consumer groups (ConsumerGroupHeartbeat v1's
// SubscribedTopicRegex). Kafka compiles them with RE2/J (com.google.re2j.Pattern) and a topic
// is subscribed when the whole name matches. RE2 has no lookaround and no backreferences; the
// rest of the common syntax reads the same as a JavaScript RegExp, which does the matching
// here. Errors carry RE2/J's descriptions, as Kafka puts them in its INVALID_REGULAR_EXPRESSION
// message ("SubscribedTopicRegex `(` is not a valid regular expression: missing closing ).").

import type { MemberMetadata } from './consumer-group-records.js';

/** Perl syntax RE2 refuses: lookahead, lookbehind, atomic groups, possessive quantifiers. */
const UNSUPPORTED_PERL = /\(\?(?:[=!>]|<[=!])|[*+?}]\+/;
/** Backreferences (\1 ... \9, \k<name>): RE2's "invalid escape sequence". */
const BACKREFERENCE = /\\(?:[1-9]|k<)/;

/** RE2/J's description of what JavaScript's RegExp reports (the rest: "invalid regular expression"). */
const DESCRIPTIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/Unterminated group/i, 'missing closing )'],
  [/Unmatched '\)'/i, 'unexpected )'],
  [/Unterminated character class/i, 'missing closing ]'],
  [/Nothing to repeat/i, 'missing argument to repetition operator'],
  [/\\ at end of pattern/i, 'trailing \\'],
  [/numbers out of order in \{\} quantifier|Incomplete quantifier/i, 'invalid repeat count'],
  [/Range out of order in character class/i, 'invalid character class range'],
  [/Invalid capture group name|Duplicate capture group name/i, 'invalid named capture'],
  [/Invalid escape|Invalid Unicode escape/i, 'invalid escape sequence'],
];

/** A compiled subscription regex, or the RE2/J description of why it does not compile. */
export function compileTopicRegex(source: string): { regex: RegExp } | { error: string } {
  if (UNSUPPORTED_PERL.test(source)) return { error: 'invalid or unsupported Perl syntax' };
  if (BACKREFERENCE.test(source)) return { error: 'invalid escape sequence' };
  try {
    // RE2's (?P<name>...) is JavaScript's (?<name>...).
    return { regex: new RegExp(`^(?:${source.replace(/\(\?P</g, '(?<')})$`, 'u') };
  } catch (err) {
    const message = (err as Error).message;
    return { error: DESCRIPTIONS.find(([re]) => re.test(message))?.[1] ?? 'invalid regular expression' };
  }
}

/** Whether a member subscribes to a topic: by name, or by its regex (internal topics never). */
export function subscribes(meta: Pick<MemberMetadata, 'subscribedTopicNames' | 'subscribedTopicRegex'>, topic: string): boolean {
  if (meta.subscribedTopicNames.includes(topic)) return true;
  return meta.subscribedTopicRegex !== null && !topic.startsWith('__') && matchesTopicRegex(meta.subscribedTopicRegex, topic);
}

const cache = new Map<string, RegExp | null>();

/** Whether `topic` is subscribed to by `source` (a regex that does not compile matches nothing). */
export function matchesTopicRegex(source: string, topic: string): boolean {
  let regex = cache.get(source);
  if (regex === undefined) {
    const compiled = compileTopicRegex(source);
    regex = 'regex' in compiled ? compiled.regex : null;
    if (cache.size > 1000) cache.clear();
    cache.set(source, regex);
  }
  return regex !== null && regex.test(topic);
}
