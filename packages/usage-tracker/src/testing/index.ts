/**
 * `@relaykit/usage-tracker/testing`: the contract suites every driver runs, as plain async checks so any test
 * runner can run them (`for (const check of rateLimitStoreContract(make)) it(check.name, check.run)`).
 */
export {
  budgetStoreContract,
  type ContractCheck,
  rateLimitStoreContract,
  usageStoreContract,
} from './contracts';
export { createFailingRateLimitStore } from './failing-store';
