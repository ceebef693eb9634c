// kafkalite web console: a small single-page app over the broker's REST API (/api/v1) and its
// live-tail stream (Server-Sent Events). No build step, no dependencies. Pages by URL hash:
//   #/topics  #/topic/<name>  #/groups  #/group/<id>  #/produce  #/broker  #/schemas  #/schema/<subject>
//   #/clients  #/client/<id> (clients.js), #/groups  #/group/<id> (groups.js)

import { clientPage, clientsPage } from './clients.js';
import { groupPage, groupsPage } from './groups.js';
import { api, enc, h, table, text, time } from './dom.js';
import { humanBytes } from './format.js';
import { schemaPage, schemasPage } from './schemas.js';

const app = document.getElementById('app');
const cleanup = [];

// ---- helpers --------------------------------------------------------------------------------

function fail(err) {
  app.replaceChildren(h('p', { class: 'error' }, String(err.message ?? err)));
}

// ---- pages ----------------------------------------------------------------------------------

async function topicsPage() {
  const { topics } = await api('/topics');
  const filter = h('input', { placeholder: 'filter topics', 'aria-label': 'filter topics', oninput: () => draw() });
  const body = h('div');
  const draw = () => {
    const f = filter.value.trim().toLowerCase();
    const shown = topics.filter((t) => t.name.toLowerCase().includes(f));
    body.replaceChildren(
      shown.length === 0
        ? h('p', { class: 'muted' }, topics.length === 0 ? 'No topics yet.' : 'No topic matches.')
        : table(
            ['Topic', 'Partitions#', 'Records#', 'Size#'],
            shown.map((t) =>
              h(
                'tr',
                { 'data-topic': t.name },
                h('td', {}, h('a', { href: `#/topic/${enc(t.name)}` }, t.name)),
                h('td', { class: 'num' }, t.partitions),
                h('td', { class: 'num' }, t.records),
                h('td', { class: 'num' }, humanBytes(t.sizeBytes)),
              ),
            ),
            { id: 'topics' },
          ),
    );
  };
  const name = h('input', { placeholder: 'new topic', 'aria-label': 'new topic name', required: true });
  const parts = h('input', { type: 'number', min: 1, value: 1, style: 'width:80px', 'aria-label': 'partitions' });
  const msg = h('span', { class: 'muted' });
  const create = h(
    'form',
    {
      class: 'toolbar',
      onsubmit: async (e) => {
        e.preventDefault();
        try {
          await api('/topics', { method: 'POST', body: JSON.stringify({ name: name.value.trim(), partitions: Number(parts.value) }) });
          location.hash = `#/topic/${enc(name.value.trim())}`;
        } catch (err) {
          msg.textContent = err.message;
          msg.className = 'error';
        }
      },
    },
    filter,
    h('span', { style: 'flex:1' }),
    name,
    parts,
    h('button', { type: 'submit' }, 'Create topic'),
    msg,
  );
  app.replaceChildren(h('h1', {}, 'Topics'), create, body);
  draw();
}

function recordRows(records, fresh) {
  return records.map((r) =>
    h(
      'tr',
      { class: fresh ? 'new' : '', 'data-offset': r.offset, 'data-partition': r.partition },
      h('td', { class: 'num' }, r.partition),
      h('td', { class: 'num' }, r.offset),
      h('td', {}, time(r.timestamp)),
      h('td', { class: 'key' }, text(r.key)),
      h(
        'td',
        { class: 'value' },
        r.valueSchemaId === undefined ? '' : h('span', { class: 'pill', title: 'Schema Registry id' }, `schema ${r.valueSchemaId}`),
        text(r.value),
      ),
      h(
        'td',
        { class: 'headers' },
        r.headers.length === 0 ? '' : h('pre', {}, r.headers.map((x) => `${x.key}: ${x.value ?? 'null'}`).join('\n')),
      ),
    ),
  );
}

const RECORD_HEADERS = ['P#', 'Offset#', 'Timestamp', 'Key', 'Value', 'Headers'];

async function topicPage(name) {
  const topic = await api(`/topics/${enc(name)}`);
  const partitions = table(
    ['Partition#', 'Leader#', 'Start offset#', 'End offset#', 'Size#'],
    topic.partitions.map((p) =>
      h(
        'tr',
        {},
        h('td', { class: 'num' }, p.partition),
        h('td', { class: 'num' }, p.leader),
        h('td', { class: 'num' }, p.logStartOffset),
        h('td', { class: 'num' }, p.logEndOffset),
        h('td', { class: 'num' }, humanBytes(p.sizeBytes)),
      ),
    ),
    { id: 'partitions' },
  );

  // Message browser
  const partSel = h(
    'select',
    { 'aria-label': 'partition' },
    topic.partitions.map((p) => h('option', { value: p.partition }, `partition ${p.partition}`)),
  );
  const offset = h('input', { type: 'number', min: 0, placeholder: 'start', style: 'width:110px', 'aria-label': 'offset' });
  const ts = h('input', { type: 'datetime-local', step: 1, 'aria-label': 'from time' });
  const limit = h('input', { type: 'number', min: 1, max: 1000, value: 50, style: 'width:80px', 'aria-label': 'limit' });
  const format = h(
    'select',
    { 'aria-label': 'format' },
    h('option', { value: 'utf8' }, 'UTF-8'),
    h('option', { value: 'json' }, 'JSON'),
    h('option', { value: 'hex' }, 'hex'),
    h('option', { value: 'schema' }, 'Schema Registry'),
  );
  const browseInfo = h('span', { class: 'muted' });
  const browsed = h('div', { id: 'browser' });
  let next = null;
  const load = async (from) => {
    const q = new URLSearchParams({ limit: limit.value, format: format.value });
    if (from !== undefined) q.set('offset', from);
    else if (ts.value) q.set('timestamp', String(new Date(ts.value).getTime()));
    else if (offset.value !== '') q.set('offset', offset.value);
    const page = await api(`/topics/${enc(name)}/partitions/${partSel.value}/records?${q}`);
    next = page.nextOffset;
    browseInfo.textContent = `${page.records.length} records · log start ${page.logStartOffset} · high watermark ${page.highWatermark}`;
    browsed.replaceChildren(
      page.records.length === 0
        ? h('p', { class: 'muted' }, 'No records here.')
        : table(RECORD_HEADERS, recordRows(page.records, false), { id: 'records' }),
    );
  };
  const browser = h(
    'div',
    { class: 'card' },
    h(
      'form',
      {
        class: 'toolbar',
        onsubmit: (e) => {
          e.preventDefault();
          load().catch(fail);
        },
      },
      h('label', {}, 'Partition', partSel),
      h('label', {}, 'From offset', offset),
      h('label', {}, 'or from time', ts),
      h('label', {}, 'Limit', limit),
      h('label', {}, 'Show as', format),
      h('button', { type: 'submit' }, 'Load'),
      h('button', { type: 'button', class: 'secondary', onclick: () => next !== null && load(next).catch(fail) }, 'Next page'),
      browseInfo,
    ),
    browsed,
  );

  // Live tail
  const tailBody = h('tbody');
  const tailCount = h('span', { class: 'muted', id: 'tail-count' }, 'stopped');
  let source = null;
  let received = 0;
  const stopTail = () => {
    source?.close();
    source = null;
    tailBtn.textContent = 'Start live tail';
    tailBtn.className = '';
    tailCount.textContent = `stopped · ${received} received`;
  };
  const startTail = () => {
    source = new EventSource(`/api/v1/topics/${enc(name)}/tail?format=${format.value}`);
    tailBtn.textContent = 'Stop live tail';
    tailBtn.className = 'live';
    tailCount.textContent = `live · ${received} received`;
    source.addEventListener('ready', () => (tailCount.textContent = `live · ${received} received`));
    source.addEventListener('records', (e) => {
      const { records } = JSON.parse(e.data);
      received += records.length;
      tailCount.textContent = `live · ${received} received`;
      for (const row of recordRows(records, true)) tailBody.prepend(row);
      while (tailBody.children.length > 500) tailBody.lastChild.remove();
    });
    source.addEventListener('deleted', () => {
      stopTail();
      tailCount.textContent = 'topic deleted';
    });
  };
  const tailBtn = h('button', { type: 'button', id: 'tail-toggle', onclick: () => (source ? stopTail() : startTail()) }, 'Start live tail');
  cleanup.push(() => source?.close());
  const tail = h(
    'div',
    { class: 'card' },
    h('div', { class: 'toolbar' }, tailBtn, tailCount),
    h(
      'table',
      { id: 'tail' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          RECORD_HEADERS.map((c) => h('th', {}, c.replace(/#$/, ''))),
        ),
      ),
      tailBody,
    ),
  );

  app.replaceChildren(
    h('h1', {}, name, ' ', h('span', { class: 'pill' }, `${topic.partitions.length} partitions · ${humanBytes(topic.sizeBytes)}`)),
    partitions,
    h('h2', {}, 'Messages'),
    browser,
    h('h2', {}, 'Live tail'),
    tail,
    h('h2', {}, 'Produce a record'),
    produceForm(name, topic.partitions.length),
    h('h2', {}, 'Config overrides'),
    Object.keys(topic.configs).length === 0
      ? h('p', { class: 'muted' }, 'None: broker defaults apply.')
      : table(
          ['Config', 'Value'],
          Object.entries(topic.configs).map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', {}, v))),
        ),
  );
  await load();
  startTail();
}

function produceForm(topicName, partitionCount, topics) {
  const topicSel = topics
    ? h(
        'select',
        { 'aria-label': 'topic', name: 'topic' },
        topics.map((t) => h('option', { value: t.name }, t.name)),
      )
    : null;
  const partition = h('input', {
    type: 'number',
    min: 0,
    max: partitionCount ? partitionCount - 1 : undefined,
    placeholder: 'by key / round-robin',
    'aria-label': 'produce partition',
    name: 'partition',
  });
  const key = h('input', { placeholder: 'key (optional)', 'aria-label': 'produce key', name: 'key' });
  const value = h('textarea', { rows: 4, placeholder: 'value', 'aria-label': 'produce value', name: 'value' });
  const headers = h('textarea', {
    rows: 2,
    placeholder: 'headers, one name=value per line',
    'aria-label': 'produce headers',
    name: 'headers',
  });
  const result = h('p', { class: 'muted', id: 'produce-result' });
  return h(
    'form',
    {
      class: 'card',
      id: 'produce',
      onsubmit: async (e) => {
        e.preventDefault();
        const hs = headers.value
          .split('\n')
          .filter((l) => l.includes('='))
          .map((l) => ({ key: l.slice(0, l.indexOf('=')).trim(), value: l.slice(l.indexOf('=') + 1) }));
        const body = { value: value.value, headers: hs };
        if (key.value !== '') body.key = key.value;
        if (partition.value !== '') body.partition = Number(partition.value);
        const target = topicSel ? topicSel.value : topicName;
        try {
          const r = await api(`/topics/${enc(target)}/records`, { method: 'POST', body: JSON.stringify(body) });
          result.className = 'muted';
          result.textContent = `Produced to ${r.topic} partition ${r.partition} at offset ${r.offset}.`;
        } catch (err) {
          result.className = 'error';
          result.textContent = err.message;
        }
      },
    },
    h(
      'div',
      { class: 'form' },
      topicSel && h('label', {}, 'Topic', topicSel),
      h('label', {}, 'Partition', partition),
      h('label', {}, 'Key', key),
      h('label', { class: 'wide' }, 'Value', value),
      h('label', { class: 'wide' }, 'Headers', headers),
    ),
    h('div', { class: 'toolbar', style: 'margin-top:10px' }, h('button', { type: 'submit' }, 'Produce'), result),
  );
}

async function producePage() {
  const { topics } = await api('/topics');
  app.replaceChildren(
    h('h1', {}, 'Produce a record'),
    topics.length === 0 ? h('p', { class: 'muted' }, 'Create a topic first.') : produceForm(null, 0, topics),
  );
}

async function brokerPage() {
  const [b, cfg, lvl] = await Promise.all([api('/broker'), api('/broker/config'), api('/log-level')]);
  const level = h(
    'select',
    { 'aria-label': 'log level' },
    ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].map((l) => h('option', { value: l, selected: l === lvl.level }, l)),
  );
  const saved = h('span', { class: 'muted' });
  level.addEventListener('change', async () => {
    const r = await api('/log-level', { method: 'PUT', body: JSON.stringify({ level: level.value }) });
    saved.textContent = `log level is now ${r.level}`;
  });
  app.replaceChildren(
    h('h1', {}, 'Broker'),
    h(
      'div',
      { class: 'card' },
      h(
        'p',
        {},
        `kafkalite ${b.version} · cluster ${b.clusterId} · ${b.store} store · up ${Math.round(b.uptimeMs / 1000)} s · ${b.topics} topics`,
      ),
      h('p', {}, 'Nodes: ', b.nodes.map((n) => `${n.nodeId}@${n.host}:${n.port}`).join(', ')),
      h('div', { class: 'toolbar' }, h('label', {}, 'Log level', level), saved),
    ),
    h('h2', {}, 'Configuration'),
    table(
      ['Config', 'Value', 'Source'],
      cfg.configs.map((c) =>
        h(
          'tr',
          {},
          h('td', { title: c.documentation ?? '' }, c.name),
          h('td', {}, c.sensitive ? '(sensitive)' : (c.value ?? '')),
          h('td', { class: 'muted' }, c.source),
        ),
      ),
    ),
  );
}

// ---- router ---------------------------------------------------------------------------------

async function route() {
  for (const c of cleanup.splice(0)) c();
  const [page, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const arg = decodeURIComponent(rest.join('/'));
  for (const a of document.querySelectorAll('nav a[data-nav]')) {
    const nav = a.getAttribute('data-nav');
    a.classList.toggle(
      'active',
      nav === page ||
        (nav === 'topics' && page === 'topic') ||
        (nav === 'groups' && page === 'group') ||
        (nav === 'schemas' && page === 'schema') ||
        (nav === 'clients' && page === 'client'),
    );
  }
  try {
    if (page === 'topic' && arg) await topicPage(arg);
    else if (page === 'groups') await groupsPage(app);
    else if (page === 'group' && arg) await groupPage(app, arg);
    else if (page === 'produce') await producePage();
    else if (page === 'broker') await brokerPage();
    else if (page === 'schemas') await schemasPage(app);
    else if (page === 'schema' && arg) await schemaPage(app, arg);
    else if (page === 'clients') await clientsPage(app);
    else if (page === 'client' && arg) await clientPage(app, arg);
    else await topicsPage();
  } catch (err) {
    fail(err);
  }
}

async function status() {
  const el = document.getElementById('status');
  try {
    const res = await fetch('/ready');
    el.textContent = res.ok ? 'ready' : 'not ready';
    el.className = `status ${res.ok ? 'ok' : 'bad'}`;
  } catch {
    el.textContent = 'unreachable';
    el.className = 'status bad';
  }
}

window.addEventListener('hashchange', route);
route();
status();
setInterval(status, 10000);
