/** `@relaykit/image-gen/filesystem`: the local-folder {@link BlobStore} (Node, Deno, Bun), the embedded default. */
export { createFilesystemBlobStore, type FilesystemBlobStoreOptions } from './drivers/filesystem';
