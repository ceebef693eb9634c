// The console's Schema Registry pages (broker/console/app.js routes to them), over the HTTP API's
// /api/v1/schemas routes (broker/http/routes-schemas.ts):
//   #/schemas            subjects with their latest version, id, type and compatibility level
//   #/schema/<subject>   its versions, a line diff between two of them, and a compatibility check

import { api, enc, h, table } from './dom.js';

function pretty(schema, type) {
  if (type === 'PROTOBUF') return schema;
  try {
    return JSON.stringify(JSON.parse(schema), null, 2);
  } catch {
    return schema;
  }
}

/** A line diff (longest common subsequence): [{ op: ' ' | '-' | '+', line }]. */
export function diffLines(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      out.push({ op: ' ', line: x[i++] });
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) out.push({ op: '+', line: y[j++] });
    else out.push({ op: '-', line: x[i++] });
  }
  return out;
}

export async function schemasPage(app) {
  const reg = await api('/schemas');
  app.replaceChildren(
    h('h1', {}, 'Schemas'),
    h(
      'p',
      { class: 'muted' },
      `Schema Registry at ${reg.url ?? '(not listening)'} · global compatibility ${reg.compatibility} · mode ${reg.mode}`,
    ),
    reg.subjects.length === 0
      ? h('p', { class: 'muted' }, 'No subjects yet.')
      : table(
          ['Subject', 'Versions#', 'Latest#', 'Schema id#', 'Type', 'Compatibility'],
          reg.subjects.map((s) =>
            h(
              'tr',
              {},
              h('td', {}, h('a', { href: `#/schema/${enc(s.subject)}` }, s.subject)),
              h('td', { class: 'num' }, s.versions.length),
              h('td', { class: 'num' }, s.latest.version),
              h('td', { class: 'num' }, s.latest.id),
              h('td', {}, s.latest.schemaType),
              h('td', {}, s.compatibility),
            ),
          ),
          { id: 'subjects' },
        ),
  );
}

export async function schemaPage(app, subject) {
  const s = await api(`/schemas/subjects/${enc(subject)}`);
  const versions = s.versions;
  const latest = versions[versions.length - 1];
  const pick = (selected) =>
    h(
      'select',
      { 'aria-label': 'version' },
      versions.map((v) => h('option', { value: v.version, selected: v.version === selected }, `version ${v.version} (id ${v.id})`)),
    );
  const from = pick(versions.length > 1 ? versions[versions.length - 2].version : latest.version);
  const to = pick(latest.version);
  const diffOut = h('pre', { class: 'diff', id: 'diff' });
  const showDiff = () => {
    const a = versions.find((v) => String(v.version) === from.value);
    const b = versions.find((v) => String(v.version) === to.value);
    diffOut.replaceChildren(
      ...diffLines(pretty(a.schema, a.schemaType), pretty(b.schema, b.schemaType)).map((d) =>
        h('span', { class: d.op === '+' ? 'add' : d.op === '-' ? 'del' : '' }, `${d.op} ${d.line}\n`),
      ),
    );
  };
  from.addEventListener('change', showDiff);
  to.addEventListener('change', showDiff);
  showDiff();

  const candidate = h('textarea', { rows: 10, class: 'wide', 'aria-label': 'schema to check' }, pretty(latest.schema, latest.schemaType));
  const verdict = h('div', { id: 'verdict' });
  const check = async (e) => {
    e.preventDefault();
    try {
      const r = await api(`/schemas/subjects/${enc(subject)}/check`, {
        method: 'POST',
        body: JSON.stringify({ schema: candidate.value, schemaType: latest.schemaType }),
      });
      verdict.replaceChildren(
        h(
          'p',
          { class: r.compatible ? 'ok' : 'error' },
          r.compatible ? `Compatible (${s.compatibility})` : `Incompatible (${s.compatibility})`,
        ),
        ...(r.messages.length ? [h('pre', {}, r.messages.join('\n'))] : []),
      );
    } catch (err) {
      verdict.replaceChildren(h('p', { class: 'error' }, err.message));
    }
  };

  app.replaceChildren(
    h('h1', {}, subject),
    h('p', { class: 'muted' }, `${latest.schemaType} · ${versions.length} versions · compatibility ${s.compatibility}`),
    table(
      ['Version#', 'Schema id#', 'Type', 'References'],
      versions.map((v) =>
        h(
          'tr',
          {},
          h('td', { class: 'num' }, v.version),
          h('td', { class: 'num' }, v.id),
          h('td', {}, v.schemaType),
          h('td', {}, v.references.map((r) => `${r.name} → ${r.subject} v${r.version}`).join(', ')),
        ),
      ),
      { id: 'versions' },
    ),
    h('h2', {}, 'Diff'),
    h('div', { class: 'card' }, h('div', { class: 'toolbar' }, h('label', {}, 'From', from), h('label', {}, 'to', to)), diffOut),
    h('h2', {}, 'Check compatibility'),
    h(
      'form',
      { class: 'card form', onsubmit: check },
      candidate,
      h('div', { class: 'toolbar' }, h('button', { type: 'submit' }, 'Check')),
      verdict,
    ),
  );
}
