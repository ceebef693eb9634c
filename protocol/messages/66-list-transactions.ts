// ListTransactions (key 66, KIP-664): transactional ids filtered by state and producer id. All
// versions flexible; v1 adds DurationFilter for transactions open longer than a given time (KIP-994);
// v2 a TransactionalIdPattern regular expression (KIP-1152).
import { api, f } from '../schema.js';

export const ListTransactions = api({
  apiKey: 66,
  name: 'ListTransactions',
  validVersions: '0-2',
  flexibleVersions: '0+',
  request: () => ({
    stateFilters: f.array('0+', 'string'),
    producerIdFilters: f.array('0+', 'int64'),
    durationFilter: f.int64('1+', { default: -1 }),
    transactionalIdPattern: f.string('2+', { nullable: '2+', default: null }),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    unknownStateFilters: f.array('0+', 'string'),
    transactionStates: f.array('0+', {
      transactionalId: f.string('0+'),
      producerId: f.int64('0+'),
      transactionState: f.string('0+'),
    }),
  }),
});
