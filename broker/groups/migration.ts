// KIP-848 online migration between classic and consumer groups: what
// group.consumer.migration.policy (Kafka's ConsumerGroupMigrationPolicy: disabled, downgrade,
// upgrade, bidirectional; default bidirectional, case-insensitive) allows, and Kafka's answers
// when it does not (GroupMetadataManager.validateOnlineUpgrade,
// throwIfClassicMemberCannotJoinConsumerGroup).
//
// kafkalite does not convert a group that has members (Kafka's convertToConsumerGroup and
// convertToClassicGroup) nor let classic members join a consumer group
// (classicGroupJoinToConsumerGroup): a KIP-848 member gets GROUP_ID_NOT_FOUND from a non-empty
// classic group and a classic member INCONSISTENT_GROUP_PROTOCOL from a non-empty consumer group,
// whatever the policy. Empty groups change type under every policy, as in Kafka.

import type { BrokerConfig } from '../../config/index.js';
import type { ClassicGroup } from './classic-group.js';

export type MigrationPolicy = 'disabled' | 'downgrade' | 'upgrade' | 'bidirectional';

export function migrationPolicy(config: BrokerConfig): MigrationPolicy {
  return config.str('group.consumer.migration.policy').trim().toLowerCase() as MigrationPolicy;
}

/** ConsumerGroupMigrationPolicy.isUpgradeEnabled. */
export function upgradeEnabled(config: BrokerConfig): boolean {
  const p = migrationPolicy(config);
  return p === 'upgrade' || p === 'bidirectional';
}

/** ConsumerGroupMigrationPolicy.isDowngradeEnabled. */
export function downgradeEnabled(config: BrokerConfig): boolean {
  const p = migrationPolicy(config);
  return p === 'downgrade' || p === 'bidirectional';
}

/**
 * Why a non-empty classic group cannot become a consumer group when a KIP-848 member joins it
 * (Kafka's validateOnlineUpgrade, each a GROUP_ID_NOT_FOUND message), or null when Kafka would
 * convert it.
 */
export function upgradeRefusal(config: BrokerConfig, group: ClassicGroup): string | null {
  const id = group.groupId;
  if (!upgradeEnabled(config)) return `Cannot upgrade classic group ${id} to consumer group because online upgrade is disabled.`;
  if (group.protocolType !== 'consumer')
    return `Cannot upgrade classic group ${id} to consumer group because the group does not use the consumer embedded protocol.`;
  if (group.members.size > config.int('group.consumer.max.size'))
    return `Cannot upgrade classic group ${id} to consumer group because the group size exceeds the consumer group maximum size.`;
  return null;
}

/** Kafka's throwIfClassicMemberCannotJoinConsumerGroup: only `disabled` keeps classic members out (INCONSISTENT_GROUP_PROTOCOL). */
export function classicJoinRefusal(config: BrokerConfig, groupId: string): string | null {
  return migrationPolicy(config) === 'disabled'
    ? `Cannot join the consumer group ${groupId} with the classic protocol because the group migration is disabled.`
    : null;
}
