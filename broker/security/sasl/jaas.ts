// Kafka's inline JAAS configuration (`sasl.jaas.config`, org.apache.kafka.common.security.JaasConfig):
//   <LoginModule class> <required|requisite|sufficient|optional> [key=value]... ;
// values are bare words or double-quoted strings (with backslash escapes), one or more modules
// each ending in ';'. Kafka parses it with java.io.StreamTokenizer; this follows the same
// grammar and refuses what Kafka refuses (no module, a missing ';', a bad control flag).

export interface JaasModule {
  readonly loginModule: string;
  readonly flag: 'required' | 'requisite' | 'sufficient' | 'optional';
  readonly options: ReadonlyMap<string, string>;
}

const FLAGS = new Set(['required', 'requisite', 'sufficient', 'optional']);

export class JaasConfigError extends Error {}

function tokenize(text: string): Array<{ kind: 'word' | 'quoted' | 'punct'; value: string }> {
  const out: Array<{ kind: 'word' | 'quoted' | 'punct'; value: string }> = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '=' || c === ';') {
      out.push({ kind: 'punct', value: c });
      i++;
    } else if (c === '"' || c === "'") {
      let v = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        v += text[i++];
      }
      if (i >= text.length) throw new JaasConfigError('unterminated quoted value in JAAS config');
      i++;
      out.push({ kind: 'quoted', value: v });
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      // StreamTokenizer skips Java-style comments.
      const end = text[i + 1] === '/' ? text.indexOf('\n', i) : text.indexOf('*/', i + 2) + 1;
      i = end <= 0 ? text.length : end + 1;
    } else {
      let v = '';
      while (i < text.length && !/[\s=;"']/.test(text[i]!)) v += text[i++];
      out.push({ kind: 'word', value: v });
    }
  }
  return out;
}

/** Parse a `sasl.jaas.config` value into its login modules. */
export function parseJaasConfig(text: string): JaasModule[] {
  const tokens = tokenize(text);
  const modules: JaasModule[] = [];
  let i = 0;
  while (i < tokens.length) {
    const name = tokens[i++];
    if (name?.kind !== 'word') throw new JaasConfigError(`Invalid JAAS config: expected a login module name, found ${name?.value}`);
    const flag = tokens[i++];
    if (flag?.kind !== 'word' || !FLAGS.has(flag.value.toLowerCase())) {
      throw new JaasConfigError(`Invalid JAAS config: invalid control flag '${flag?.value ?? ''}'`);
    }
    const options = new Map<string, string>();
    for (;;) {
      const t = tokens[i++];
      if (!t) throw new JaasConfigError("Invalid JAAS config: login module control flag not followed by ';'");
      if (t.kind === 'punct' && t.value === ';') break;
      if (t.kind !== 'word') throw new JaasConfigError(`Invalid JAAS config: expected an option name, found ${t.value}`);
      if (tokens[i]?.value !== '=' || tokens[i]?.kind !== 'punct')
        throw new JaasConfigError(`Invalid JAAS config: option ${t.value} has no '='`);
      const v = tokens[i + 1];
      if (!v || v.kind === 'punct') throw new JaasConfigError(`Invalid JAAS config: option ${t.value} has no value`);
      options.set(t.value, v.value);
      i += 2;
    }
    modules.push({ loginModule: name.value, flag: flag.value.toLowerCase() as JaasModule['flag'], options });
  }
  if (modules.length === 0) throw new JaasConfigError('JAAS config entry not terminated by semi-colon');
  return modules;
}

/** The `user_<name>="<password>"` options of a PlainLoginModule: Kafka's PlainServerCallbackHandler users. */
export function plainUsers(modules: readonly JaasModule[]): Map<string, string> {
  const users = new Map<string, string>();
  for (const m of modules) for (const [k, v] of m.options) if (k.startsWith('user_')) users.set(k.slice('user_'.length), v);
  return users;
}
