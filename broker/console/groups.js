// The console's group pages (broker/console/app.js routes to them): every group with its type,
// state, members and total lag (GET /api/v1/groups), and one group's members, committed offsets
// and lag, and for a share group its share-partitions (GET /api/v1/groups/<id>).
//   #/groups  #/group/<group id>

import { api, enc, h, table } from './dom.js';

export async function groupsPage(app) {
  const { available, groups } = await api('/groups');
  if (!available) {
    app.replaceChildren(h('h1', {}, 'Consumer groups'), h('p', { class: 'muted' }, 'This broker has no group coordinator.'));
    return;
  }
  const details = await Promise.all(groups.map((g) => api(`/groups/${enc(g.groupId)}`).catch(() => null)));
  app.replaceChildren(
    h('h1', {}, 'Consumer groups'),
    groups.length === 0
      ? h('p', { class: 'muted' }, 'No consumer groups yet.')
      : table(
          ['Group', 'Type', 'State', 'Members#', 'Total lag#'],
          groups.map((g, i) =>
            h(
              'tr',
              { 'data-group': g.groupId },
              h('td', {}, h('a', { href: `#/group/${enc(g.groupId)}` }, g.groupId)),
              h('td', { class: 'type' }, g.type || g.protocolType || '—'),
              h('td', {}, h('span', { class: `pill ${g.state}` }, g.state)),
              h('td', { class: 'num' }, g.members),
              h('td', { class: 'num lag' }, details[i] ? details[i].totalLag : '—'),
            ),
          ),
          { id: 'groups' },
        ),
  );
}

/** A share group's share-partitions (KIP-932): start offset and records in flight (acquired, not yet acknowledged). */
function sharePartitions(progress) {
  return [
    h('h2', {}, 'Share partitions'),
    progress.length === 0
      ? h('p', { class: 'muted' }, 'No share-partition has been fetched yet.')
      : table(
          ['Topic', 'Partition#', 'Start offset#', 'In flight#'],
          progress.map((p) =>
            h(
              'tr',
              { 'data-topic': p.topic, 'data-partition': p.partition },
              h('td', {}, p.topic),
              h('td', { class: 'num' }, p.partition),
              h('td', { class: 'num' }, p.startOffset),
              h('td', { class: 'num' }, p.inFlight),
            ),
          ),
          { id: 'share-partitions' },
        ),
  ];
}

export async function groupPage(app, id) {
  const g = await api(`/groups/${enc(id)}`);
  app.replaceChildren(
    h(
      'h1',
      {},
      id,
      ' ',
      h('span', { class: `pill ${g.state}` }, g.state),
      ' ',
      h('span', { class: 'pill', id: 'total-lag' }, `total lag ${g.totalLag}`),
    ),
    h('p', { class: 'muted' }, `protocol ${g.protocolType || '—'} / ${g.protocol || '—'}`),
    h('h2', {}, 'Members'),
    g.members.length === 0
      ? h('p', { class: 'muted' }, 'No active members.')
      : table(
          ['Member', 'Client id', 'Host', 'Assignment'],
          g.members.map((m) =>
            h(
              'tr',
              {},
              h('td', {}, m.memberId),
              h('td', {}, m.clientId),
              h('td', {}, m.clientHost),
              h('td', {}, m.assignment.map((a) => `${a.topic}: ${a.partitions.join(', ')}`).join('; ')),
            ),
          ),
          { id: 'members' },
        ),
    ...(g.type === 'share' ? sharePartitions(g.shareProgress ?? []) : []),
    h('h2', {}, 'Offsets and lag'),
    g.offsets.length === 0
      ? h('p', { class: 'muted' }, 'No committed offsets.')
      : table(
          ['Topic', 'Partition#', 'Committed#', 'End offset#', 'Lag#', 'Member'],
          g.offsets.map((o) =>
            h(
              'tr',
              { 'data-topic': o.topic, 'data-partition': o.partition },
              h('td', {}, o.topic),
              h('td', { class: 'num' }, o.partition),
              h('td', { class: 'num' }, o.committedOffset ?? '—'),
              h('td', { class: 'num' }, o.logEndOffset),
              h('td', { class: `num lag ${o.lag > 0 ? 'lag-high' : ''}` }, o.lag ?? '—'),
              h('td', {}, o.memberId ?? ''),
            ),
          ),
          { id: 'offsets' },
        ),
  );
}
