// SubscribedTopicRegex (KIP-848, ConsumerGroupHeartbeat v1): a member subscribes to every
// topic whose whole name matches the expression, as Kafka's TopicRegexResolver matches each
// topic name of the metadata image (internal topics included) with RE2J's Matcher.matches().
// Kafka resolves expressions in the background and records them (ConsumerGroupRegularExpression);
// kafkalite resolves them on each heartbeat, so a new matching topic is seen on the next one, as
// a new topic named in SubscribedTopicNames is.
//
// Expressions compile with JavaScript's RegExp, which reads RE2 syntax the same for what
// topic patterns use (classes, groups, alternation, repetition); the texts of the few parse
// errors clients meet are worded as RE2J's PatternSyntaxException.getDescription() words them.

const compiled = new Map<string, RegExp | { error: string }>();

const RE2J_WORDS: ReadonlyArray<[RegExp, string]> = [
  [/Unterminated group/, 'missing closing )'],
  [/Unmatched '\)'/, 'unexpected )'],
  [/Unterminated character class|Missing \/|Lone quantifier brackets/, 'missing closing ]'],
  [/Nothing to repeat/, 'missing argument to repetition operator'],
  [/\\ at end of pattern/, 'trailing backslash at end of expression'],
];

function compile(source: string): RegExp | { error: string } {
  let c = compiled.get(source);
  if (c === undefined) {
    try {
      c = new RegExp(`^(?:${source})$`, 'u');
    } catch (e) {
      const text = (e as Error).message;
      c = { error: RE2J_WORDS.find(([re]) => re.test(text))?.[1] ?? text };
    }
    if (compiled.size > 1000) compiled.clear();
    compiled.set(source, c);
  }
  return c;
}

/** Kafka's Utils.throwIfRegularExpressionIsInvalid message (INVALID_REGULAR_EXPRESSION), or null when it compiles. */
export function invalidTopicRegex(source: string): string | null {
  const c = compile(source);
  return c instanceof RegExp ? null : `SubscribedTopicRegex \`${source}\` is not a valid regular expression: ${c.error}.`;
}

/** Whether a topic name matches a member's expression; an empty or null expression matches nothing. */
export function topicMatches(source: string | null, topic: string): boolean {
  if (!source) return false;
  const c = compile(source);
  return c instanceof RegExp && c.test(topic);
}
