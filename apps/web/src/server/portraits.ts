import {
  type BlobStore,
  generateImage,
  type ImagesClient,
  portraitPrompt,
  storeImage,
} from '@relaykit/image-gen';
import { RequestError } from '@relaykit/sse-protocol';
import type { UsageRecorder } from '@relaykit/usage-tracker';
import type { ClassroomPortraits } from '../../../../packages/agent-core/examples/index.ts';
import type { ImageIndex } from './image-list';

/** What the classroom assistant's portrait tool needs from the app. */
export interface PortraitDependencies {
  /** The images client of the caller (the offline fake or OpenAI). */
  clientFor(userId: string): Promise<ImagesClient>;
  /** Where images are stored (the images page's blob store). */
  blobs: BlobStore;
  /** The browser URL of a stored path. */
  publicUrl(path: string): string;
  /** Records the prompt beside the file, so the images page lists the portrait with its caption. */
  index: Pick<ImageIndex, 'record'>;
  /** The per-user image limit the images page uses too. */
  limit(userId: string): Promise<{ success: boolean; retryAfterMs?: number }>;
  /** Meters the call like the image routes (`kind: 'image'`). */
  usage?: Pick<UsageRecorder, 'recordUsage'>;
}

/**
 * The classroom assistant's portrait generator over the app's image stack: `portraitPrompt` of `@relaykit/image-gen`
 * rendered for the student, one image call (rate limited and metered like `/api/images`), stored as the user's image
 * (`images/<userId>/portrait-<studentId>/…`, so the images page lists it and only its owner can load it).
 */
export function createPortraits(deps: PortraitDependencies): ClassroomPortraits {
  return {
    async generatePortrait(student, { userId, style }) {
      if (!userId) throw new RequestError('unauthorized', 'Portraits need a signed-in teacher.');
      const limited = await deps.limit(userId);
      if (!limited.success)
        throw new RequestError('rate_limited', 'Too many image requests; try again later.', {
          retryable: true,
          retryAfterMs: limited.retryAfterMs ?? 1000,
        });
      const prompt = portraitPrompt.render({
        ageRange: '10-11',
        style,
        setting: 'a sunny classroom',
        details: `A portrait for ${student.name}'s class profile`,
      });
      const model = 'gpt-image-1';
      const image = await generateImage({
        client: await deps.clientFor(userId),
        prompt,
        model,
        user: userId,
      });
      const createdAt = new Date();
      const stored = await storeImage({
        store: deps.blobs,
        image,
        entity: `images/${userId}`,
        id: `portrait-${student.id}`,
        now: createdAt.getTime(),
      });
      await deps.usage
        ?.recordUsage({
          userId,
          kind: 'image',
          model,
          usage: image.usage,
          cost: image.cost,
          metadata: { path: stored.path, student: student.id },
        })
        .catch(() => {});
      const caption = `Portrait of ${student.name} (${style})`;
      await deps.index
        .record({ path: stored.path, prompt: caption, createdAt: createdAt.toISOString() })
        .catch(() => {});
      return { url: deps.publicUrl(stored.path) };
    },
  };
}
