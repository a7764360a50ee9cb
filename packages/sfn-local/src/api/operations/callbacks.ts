import { required } from '../shapes.js';
import { sensitiveCause, sensitiveData, sensitiveError, operation, taskToken } from './common.js';

/** SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat. */
export const callbackOperations = {
  SendTaskSuccess: operation({ taskToken: taskToken(), output: required(sensitiveData()) }, (service, input) =>
    service.sendTaskSuccess(input),
  ),
  SendTaskFailure: operation({ taskToken: taskToken(), error: sensitiveError(), cause: sensitiveCause() }, (service, input) =>
    service.sendTaskFailure(input),
  ),
  SendTaskHeartbeat: operation({ taskToken: taskToken() }, (service, input) => service.sendTaskHeartbeat(input)),
};
