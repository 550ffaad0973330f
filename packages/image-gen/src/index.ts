/**
 * `@relaykit/image-gen`: image generation over the OpenAI Images API, versioned blob storage, row updates, and
 * rate-limited, retrying, cancellable, resumable batches with progress. Drivers are subpaths: `./filesystem`,
 * `./supabase`, `./postgres`; the contract suite and fakes are in `./testing`.
 */
// The header reader of the one OpenAI error mapping (`providerError` of `@relaykit/sse-protocol`), kept for callers.
export {
  isRelayKitError,
  RelayKitError,
  type RelayKitErrorCode,
  type RelayKitErrorJSON,
  retryAfterFromHeaders,
} from '@relaykit/sse-protocol';
export {
  type BatchCounts,
  type BatchEvent,
  type BatchItem,
  type BatchItemResult,
  type BatchReport,
  type BatchRun,
  type GenerateBatchOptions,
  generateBatch,
} from './batch';
export { type DownloadedImage, type DownloadImageOptions, downloadImage } from './download';
export { createMemoryBlobStore, type MemoryBlobStoreOptions } from './drivers/memory';
export { type GeneratedImage, type GenerateImageOptions, generateImage } from './generate';
export { extensionFor, type ImageInfo, type ImageMimeType, readImageInfo } from './image-info';
export { type BlobLimits, DEFAULT_BLOB_LIMITS } from './internal/blob-checks';
export { systemClock } from './internal/clock';
export { assertPrompt, IMAGE_MODELS, type ImageModelCapabilities, imageModelCapabilities } from './models';
export {
  assertBlobPath,
  contentFingerprint,
  type VersionedImagePathOptions,
  versionedImagePath,
} from './paths';
export type {
  BlobPutOptions,
  BlobStore,
  BlobUrlOptions,
  Clock,
  ImagePricer,
  ImageRateLimiter,
  ImagesClient,
  StoredBlob,
} from './ports';
export {
  definePromptTemplate,
  PortraitParameters,
  type PromptTemplate,
  type PromptTemplateOptions,
  portraitPrompt,
} from './prompts';
export {
  type OnOrphanHook,
  type OnStoredHook,
  type StoredImage,
  type StoreImageOptions,
  storeImage,
} from './store-image';
