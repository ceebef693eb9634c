// The console's small DOM and REST helpers (broker/console/app.js uses them): an element
// builder, a JSON fetch of the broker's REST API (/api/v1), and table and value renderers.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

export async function api(path, init) {
  const res = await fetch(`/api/v1${path}`, { headers: { 'content-type': 'application/json' }, ...init });
  const text = await res.text();
  const body = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(body?.message ? `${body.error}: ${body.message}` : `HTTP ${res.status}`);
  return body;
}

export function time(ms) {
  return ms < 0 ? '—' : new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

export function text(v) {
  return v === null ? h('span', { class: 'null' }, 'null') : h('pre', {}, v);
}

export function table(headers, rows, attrs) {
  return h(
    'table',
    attrs,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((c) => h('th', { class: c.endsWith('#') ? 'num' : '' }, c.replace(/#$/, ''))),
      ),
    ),
    h('tbody', {}, rows),
  );
}

export const enc = encodeURIComponent;
