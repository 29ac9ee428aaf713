// Public names of the filter layer: SNS filter policies and Lambda filter criteria derived from subscribers.
export { filterPolicyFor, SNS_POLICY_LIMITS, type FilterPolicy, type FilterPolicyOptions, type FilterPolicyResult, type Scope, type Widening, type SubscriberInput } from './policy.js';
export { lambdaFilterCriteriaFor, type LambdaFilterCriteria, type LambdaFilterCriteriaResult } from './lambda.js';
export { ROUTING_ATTRIBUTE_NAMES } from './routing-attributes.js';
