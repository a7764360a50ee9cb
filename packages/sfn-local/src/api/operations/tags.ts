import { list, required, string } from '../shapes.js';
import { arn, operation, tag } from './common.js';

/** TagResource, UntagResource, ListTagsForResource (state machines). */
export const tagOperations = {
  TagResource: operation({ resourceArn: required(arn()), tags: required(list(tag())) }, (service, input) =>
    service.tagResource(input),
  ),
  UntagResource: operation(
    { resourceArn: required(arn()), tagKeys: required(list(string({ min: 1, max: 128 }))) },
    (service, input) => service.untagResource(input),
  ),
  ListTagsForResource: operation({ resourceArn: required(arn()) }, (service, input) => service.listTagsForResource(input)),
};
