import { generateBatch, generateImage, portraitPrompt, storeImage } from '@relaykit/image-gen';
import { createFilesystemBlobStore } from '@relaykit/image-gen/filesystem';
import type OpenAI from 'openai';

/** One portrait now, then a whole class in a rate-limited batch with progress. */
export async function portraits(client: OpenAI, folder: string) {
  const store = createFilesystemBlobStore({ root: folder });
  const prompt = portraitPrompt.render({ ageRange: '10-12', setting: 'a sunny classroom' });
  const image = await generateImage({ client, prompt, quality: 'low', user: 'teacher-1' });
  const one = await storeImage({ store, image, entity: 'students', id: '42' });

  const students = [
    { id: '43', prompt },
    { id: '44', prompt },
  ];
  const run = generateBatch(students, {
    client,
    store,
    entity: 'students',
    user: 'teacher-1',
    quality: 'low',
  });
  for await (const event of run)
    console.log(event.type, event.id, `${event.counts.stored}/${event.counts.total}`);
  return { one, report: await run.report };
}
