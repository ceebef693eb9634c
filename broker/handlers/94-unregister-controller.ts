// UnregisterController (key 94), v0 (KIP-1133).
//
// Behaviour: the only controller is the controller node of broker/quorum.ts. Its id gets
// INVALID_REQUEST "Controller cannot unregister itself while it is active.", any other id
// (brokers included) CONTROLLER_ID_NOT_REGISTERED "Controller ID <id> is not currently
// registered.", as Kafka 4.4's single combined node answers.

import { ErrorCode, errorCodeByName } from '../../protocol/errors.js';
import { UnregisterController } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';
import { controllerNode } from '../quorum.js';

const CONTROLLER_ID_NOT_REGISTERED = errorCodeByName('CONTROLLER_ID_NOT_REGISTERED')!;

export default defineHandler({
  api: UnregisterController,
  handle(req, ctx) {
    if (req.controllerId === controllerNode(ctx.broker).nodeId) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.INVALID_REQUEST,
        errorMessage: 'Controller cannot unregister itself while it is active.',
      };
    }
    return {
      throttleTimeMs: 0,
      errorCode: CONTROLLER_ID_NOT_REGISTERED,
      errorMessage: `Controller ID ${req.controllerId} is not currently registered.`,
    };
  },
});
