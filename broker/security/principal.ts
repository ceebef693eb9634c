// The principal of a TLS client certificate, as Kafka's DefaultKafkaPrincipalBuilder builds it:
// the subject's distinguished name in RFC 2253 form (Java's X500Principal.getName()), then
// `ssl.principal.mapping.rules` (Kafka's SslPrincipalMapper), giving `User:<name>`.
//
//   ssl.principal.mapping.rules=RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/L,DEFAULT
//
// Rules are tried in order; the first whose pattern matches the whole DN gives the name (its
// replacement applied with Java's replaceAll; /L or /U lower- or upper-cases it); DEFAULT
// gives the DN unchanged; no rule matching refuses the connection.

import type { X509Certificate } from 'node:crypto';
import { ConfigError } from '../../protocol/errors.js';

interface Rule {
  readonly isDefault: boolean;
  readonly pattern?: RegExp;
  readonly source?: string;
  readonly replacement?: string;
  readonly lower?: boolean;
  readonly upper?: boolean;
}

// SslPrincipalMapper's RULE_PATTERN, its groups numbered as there.
const RULE = String.raw`(DEFAULT)|RULE:((\\.|[^\\/])*)/((\\.|[^\\/])*)/([LU]?).*?|(.*?)`;

export class SslPrincipalMapper {
  private readonly rules: Rule[];

  constructor(rules: string | null) {
    this.rules = parseRules(splitRules(rules ?? 'DEFAULT'));
  }

  /** The principal name for `dn`, or null when no rule applies (Kafka's NoMatchingRule). */
  name(dn: string): string | null {
    for (const r of this.rules) {
      const n = apply(r, dn);
      if (n !== null) return n;
    }
    return null;
  }

  toString(): string {
    return `SslPrincipalMapper(rules = [${this.rules.map((r) => (r.isDefault ? 'DEFAULT' : `RULE:${r.source}/${r.replacement}${r.lower ? '/L' : r.upper ? '/U' : ''}`)).join(', ')}])`;
  }
}

function splitRules(text: string): string[] {
  const splitter = new RegExp(String.raw`\s*(` + RULE + String.raw`)\s*(,\s*|$)`, 'gy');
  const out: string[] = [];
  const s = text.trim();
  // Java's Matcher.find() scans forward; an empty match still advances by one.
  const finder = new RegExp(splitter.source, 'g');
  for (;;) {
    const m = finder.exec(s);
    if (m === null) break;
    out.push(m[1]!);
    if (m[0] === '') finder.lastIndex++;
    if (finder.lastIndex > s.length) break;
  }
  return out;
}

function parseRules(rules: string[]): Rule[] {
  const out: Rule[] = [];
  const parser = new RegExp(RULE, 'y');
  for (const rule of rules) {
    parser.lastIndex = 0;
    const m = parser.exec(rule);
    if (!m) throw new ConfigError('ssl.principal.mapping.rules', `Invalid rule: ${rule}`);
    if (m[0].length !== rule.length)
      throw new ConfigError(
        'ssl.principal.mapping.rules',
        `Invalid rule: \`${rule}\`, unmatched substring: \`${rule.slice(m[0].length)}\``,
      );
    if (m[1] !== undefined) out.push({ isDefault: true });
    else if (m[2] !== undefined) {
      let pattern: RegExp;
      try {
        pattern = new RegExp(m[2], 'g');
      } catch (err) {
        throw new ConfigError('ssl.principal.mapping.rules', `Invalid rule: ${rule} (${(err as Error).message})`);
      }
      out.push({ isDefault: false, pattern, source: m[2], replacement: m[4] ?? '', lower: m[6] === 'L', upper: m[6] === 'U' });
    }
    // an empty rule is ignored
  }
  return out;
}

function apply(r: Rule, dn: string): string | null {
  if (r.isDefault) return dn;
  const whole = new RegExp(`^(?:${r.source})$`);
  const m = whole.exec(dn);
  if (!m) return null;
  const groups = m.length - 1;
  r.pattern!.lastIndex = 0;
  let result = dn.replace(r.pattern!, (...args) => javaReplacement(r.replacement!, args.slice(0, groups + 1) as string[], groups));
  if (r.lower) result = result.toLowerCase();
  else if (r.upper) result = result.toUpperCase();
  return result;
}

/**
 * Java's Matcher.appendReplacement: `$n` takes group n (the longest number not above the group
 * count; SslPrincipalMapper makes a `$n` with no such group literal), `\x` is x.
 */
function javaReplacement(replacement: string, match: string[], groups: number): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === '\\' && i + 1 < replacement.length) {
      out += replacement[++i];
    } else if (c === '$' && i + 1 < replacement.length && /\d/.test(replacement[i + 1]!)) {
      let j = i + 1;
      let n = Number(replacement[j]);
      if (n > groups) {
        out += c; // a back reference beyond the groups stays literal
        continue;
      }
      while (j + 1 < replacement.length && /\d/.test(replacement[j + 1]!) && n * 10 + Number(replacement[j + 1]) <= groups)
        n = n * 10 + Number(replacement[++j]);
      out += match[n] ?? '';
      i = j;
    } else out += c;
  }
  return out;
}

// ---- the DN in RFC 2253 form, as java.security X500Principal.getName() prints it -------------

/** Attribute types Java prints by keyword in RFC 2253 form; others as a dotted OID. */
const KEYWORDS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

/** DER reader enough for a certificate's subject Name. */
class Der {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}
  next(): { tag: number; start: number; body: Buffer; end: number } {
    const start = this.pos;
    const tag = this.buf[this.pos++]!;
    let len = this.buf[this.pos++]!;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + this.buf[this.pos++]!;
    }
    const body = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return { tag, start, body, end: this.pos };
  }
}

function oid(body: Buffer): string {
  const parts = [Math.floor(body[0]! / 40), body[0]! % 40];
  let v = 0;
  for (let i = 1; i < body.length; i++) {
    v = v * 128 + (body[i]! & 0x7f);
    if (!(body[i]! & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** The subject DN of a DER certificate, RFC 2253 (last RDN first), as Java prints it. */
export function subjectDn(certDer: Buffer): string {
  const cert = new Der(certDer).next();
  const tbs = new Der(cert.body).next();
  const r = new Der(tbs.body);
  let f = r.next();
  if (f.tag === 0xa0) f = r.next(); // [0] version; f is now the serial number
  r.next(); // signature algorithm
  r.next(); // issuer
  r.next(); // validity
  const subject = r.next();
  const rdns: string[] = [];
  const seq = new Der(subject.body);
  while (seq.pos < subject.body.length) {
    const set = seq.next();
    const avas: string[] = [];
    const s = new Der(set.body);
    while (s.pos < set.body.length) {
      const ava = s.next();
      const a = new Der(ava.body);
      const type = oid(a.next().body);
      const value = a.next();
      const raw = ava.body.subarray(value.start - 0, value.end);
      avas.push(formatAva(type, value.tag, value.body, raw));
    }
    rdns.push(avas.join('+'));
  }
  return rdns.reverse().join(',');
}

function formatAva(type: string, tag: number, body: Buffer, der: Buffer): string {
  const keyword = KEYWORDS[type];
  // Strings Java decodes: UTF8String, PrintableString, IA5String (keyword types), T61, BMPString.
  const text = decodeString(tag, body);
  if (!keyword || text === null) return `${keyword ?? type}=#${der.toString('hex')}`;
  return `${keyword}=${escapeRfc2253(text)}`;
}

function decodeString(tag: number, body: Buffer): string | null {
  switch (tag) {
    case 0x0c: // UTF8String
      return body.toString('utf8');
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x14: // T61String
      return body.toString('latin1');
    case 0x1e: {
      // BMPString
      let s = '';
      for (let i = 0; i + 1 < body.length; i += 2) s += String.fromCharCode(body.readUInt16BE(i));
      return s;
    }
    default:
      return null;
  }
}

/** RFC 2253 escaping as Java's AVA.toRFC2253String does it. */
function escapeRfc2253(v: string): string {
  let out = '';
  for (const c of v) out += ',=+<>#;"\\'.includes(c) ? `\\${c}` : c;
  // '#' is escaped only first in Java; spaces at either end are escaped.
  out = out.replace(/(?<!^)\\#/g, '#');
  out = out.replace(/^ /, '\\ ').replace(/ $/, '\\ ');
  return out;
}

/** `User:<name>` for a peer certificate under the mapper, or an error naming why none applies. */
export function certificatePrincipal(cert: X509Certificate, mapper: SslPrincipalMapper): { principal: string } | { error: string } {
  const dn = subjectDn(cert.raw);
  const name = mapper.name(dn);
  if (name === null)
    return { error: `No rules apply to ${dn}, rules ${mapper.toString().replace(/^SslPrincipalMapper\(rules = |\)$/g, '')}` };
  return { principal: `User:${name}` };
}
