import { expect, it } from 'vitest';
import * as filesystem from './filesystem';
import * as api from './index';
import * as postgres from './postgres';
import * as supabase from './supabase';
import * as testing from './testing';

it('pins the exported names of @relaykit/image-gen', () => {
  expect(Object.keys(api).sort()).toEqual([
    'DEFAULT_BLOB_LIMITS',
    'IMAGE_MODELS',
    'PortraitParameters',
    'RelayKitError',
    'assertBlobPath',
    'assertPrompt',
    'contentFingerprint',
    'createMemoryBlobStore',
    'definePromptTemplate',
    'downloadImage',
    'extensionFor',
    'generateBatch',
    'generateImage',
    'imageModelCapabilities',
    'isRelayKitError',
    'portraitPrompt',
    'readImageInfo',
    'retryAfterFromHeaders',
    'storeImage',
    'systemClock',
    'versionedImagePath',
  ]);
});

it('pins the exported names of the subpaths', () => {
  expect(Object.keys(filesystem).sort()).toEqual(['createFilesystemBlobStore']);
  expect(Object.keys(supabase).sort()).toEqual(['createSupabaseBlobStore', 'supabaseRowUpdater']);
  expect(Object.keys(postgres).sort()).toEqual(['postgresRowUpdater']);
  expect(Object.keys(testing).sort()).toEqual([
    'TINY_PNG',
    'blobStoreContract',
    'createFakeClock',
    'createSimulatedImagesClient',
  ]);
});
