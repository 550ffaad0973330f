/**
 * `@relaykit/sse-protocol/testing`: the `StreamLog` contract suite every driver runs.
 */
export {
  type ContractTestFramework,
  type StreamLogContractCheck,
  StreamLogContractViolation,
  streamLogContract,
  streamLogContractChecks,
} from './stream-log-contract';
