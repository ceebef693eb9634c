// The group side of a broker: the group coordinator (classic, consumer, streams and share
// groups; committed offsets), the transaction coordinator and share-group delivery. They are
// made together, as each needs the others (the transaction coordinator writes offsets through
// the group coordinator; delivery follows the share groups' members), and loaded together:
// load() replays `__consumer_offsets`, `__transaction_state` and `__share_group_state`.
//
// BrokerCore owns the one instance and makes it through a dynamic import of this module
// (BrokerCore.coordinators()), so a start that needs none of it never loads its code (about
// 280 KB of source: the lean start of issue 15). startBroker() makes it at start unless the
// broker runs without a test kit (the CLI) and its data directory holds none of these topics;
// then the dispatcher makes it before the first request that may reach it (dispatcher.ts).

import type { BrokerCore } from './core.js';
import { GroupCoordinator } from './groups/coordinator.js';
import type { ShareGroups } from './groups/share/owner.js';
import { ShareManager } from './share/manager.js';
import { TransactionCoordinator } from './txn/coordinator.js';

export interface Coordinators {
  groups: GroupCoordinator;
  shareGroups: ShareGroups;
  txn: TransactionCoordinator;
  share: ShareManager;
}

/** The three coordinators of `core`, their stored state replayed. */
export function createCoordinators(core: BrokerCore): Coordinators {
  const { topics, cluster, placement, config, clock, log, store, groupConfigs } = core;
  const groups = new GroupCoordinator({ topics, cluster, placement, config, clock, log, groupConfigs });
  const txn = new TransactionCoordinator({ topics, groups, cluster, placement, config, clock, log, store });
  const share = new ShareManager({ topics, clock, config, groupConfigs, log });
  share.attach(groups.shareGroups);
  groups.load();
  txn.load();
  share.load();
  return { groups, shareGroups: groups.shareGroups, txn, share };
}
