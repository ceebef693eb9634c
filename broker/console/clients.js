// The console's Clients pages (broker/console/app.js routes to them): the clients that pushed
// metrics over KIP-714 recently (GET /api/v1/clients) and one client's latest push
// (GET /api/v1/clients/<client instance id>), with a filter over metric names.
//   #/clients  #/client/<client instance id>

import { api, enc, h, table } from './dom.js';
import { humanBytes } from './format.js';

function ago(iso) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 120 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}

function software(c) {
  return `${c.clientSoftwareName} ${c.clientSoftwareVersion}`;
}

export async function clientsPage(app) {
  const clients = await api('/clients');
  app.replaceChildren(
    h('h1', {}, 'Clients'),
    h(
      'p',
      { class: 'muted' },
      'Producers, consumers and admin clients push their metrics to the broker (KIP-714); the latest push of each is shown here and on /metrics.',
    ),
    clients.length === 0
      ? h('p', { class: 'muted' }, 'No client has pushed metrics yet.')
      : table(
          ['Client id', 'Software', 'Address', 'Instance', 'Metrics#', 'Interval#', 'Last push'],
          clients
            .slice()
            .reverse()
            .map((c) =>
              h(
                'tr',
                { 'data-client': c.clientInstanceId },
                h('td', {}, h('a', { href: `#/client/${enc(c.clientInstanceId)}` }, c.clientId || '(none)')),
                h('td', {}, software(c)),
                h('td', {}, `${c.clientSourceAddress}:${c.clientSourcePort}`),
                h('td', { class: 'muted' }, c.clientInstanceId),
                h('td', { class: 'num' }, c.metricCount),
                h('td', { class: 'num' }, `${c.pushIntervalMs / 1000} s`),
                h('td', {}, c.terminating ? `${ago(c.receivedAt)} (closed)` : ago(c.receivedAt)),
              ),
            ),
          { id: 'clients' },
        ),
  );
}

export async function clientPage(app, id) {
  const c = await api(`/clients/${enc(id)}`);
  const filter = h('input', { placeholder: 'filter metrics', 'aria-label': 'filter metrics', oninput: () => draw() });
  const body = h('div');
  const draw = () => {
    const f = filter.value.trim().toLowerCase();
    const shown = c.metrics.filter((m) => m.name.toLowerCase().includes(f));
    body.replaceChildren(
      shown.length === 0
        ? h('p', { class: 'muted' }, c.metrics.length === 0 ? 'The latest push held no metrics.' : 'No metric matches.')
        : table(
            ['Metric', 'Attributes', 'Kind', 'Value#'],
            shown.map((m) =>
              h(
                'tr',
                { 'data-metric': m.name },
                h('td', { title: m.description }, m.name),
                h(
                  'td',
                  { class: 'muted' },
                  Object.entries(m.attributes)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(' '),
                ),
                h('td', {}, m.kind),
                h('td', { class: 'num' }, m.count === undefined ? m.value : `${m.value} (${m.count})`),
              ),
            ),
            { id: 'metrics' },
          ),
    );
  };
  app.replaceChildren(
    h('h1', {}, c.clientId || c.clientInstanceId, ' ', h('span', { class: 'pill' }, software(c))),
    h(
      'p',
      { class: 'muted' },
      `instance ${c.clientInstanceId} · ${c.clientSourceAddress}:${c.clientSourcePort} · every ${c.pushIntervalMs / 1000} s · ` +
        `${c.pushes} pushes · last ${ago(c.receivedAt)}, ${humanBytes(c.bytes)} ${c.compression}${c.terminating ? ' · closed' : ''}`,
    ),
    h('div', { class: 'toolbar' }, filter),
    body,
  );
  draw();
}
