import { describe, it } from 'vitest';
import { blobStoreContract } from '../testing';
import { createMemoryBlobStore } from './memory';

describe('memory BlobStore satisfies the contract', () => {
  for (const check of blobStoreContract(async () => createMemoryBlobStore())) it(check.name, check.run);
});
