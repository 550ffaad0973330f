/**
 * `@relaykit/image-gen/testing`: the {@link BlobStore} contract suite every driver runs (plain async checks, any test
 * runner), a fake clock for batches, and an in-process simulated Images client for benchmarks.
 */
export { blobStoreContract, type ContractCheck, TINY_PNG } from './contract';
export { createFakeClock, type FakeClock } from './fake-clock';
export {
  createSimulatedImagesClient,
  type SimulatedImagesClientOptions,
  type SimulatedImagesStats,
} from './simulated-client';
