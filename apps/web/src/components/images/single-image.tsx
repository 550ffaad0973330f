'use client';

import { type FormEvent, useState } from 'react';
import { generateImage, type ImageJSON } from '../../client/images-client';

/** One image: prompt, generate, preview and regenerate. */
export function SingleImage({ onStored }: { onStored?: () => void } = {}) {
  const [prompt, setPrompt] = useState('');
  const [image, setImage] = useState<ImageJSON | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (text: string) => {
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setImage(await generateImage(text.trim()));
      onStored?.();
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(prompt);
  };

  return (
    <section aria-labelledby="single-heading">
      <h2 id="single-heading">One image</h2>
      <form onSubmit={submit}>
        <label htmlFor="prompt">Prompt</label>
        <textarea id="prompt" rows={3} value={prompt} onChange={(event) => setPrompt(event.target.value)} />
        <div>
          <button type="submit" disabled={busy || !prompt.trim()}>
            Generate
          </button>
        </div>
      </form>
      {busy ? <p role="status">Generating…</p> : null}
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {image ? (
        <figure>
          {/* biome-ignore lint/performance/noImgElement: generated images are served by the app, not optimised */}
          <img src={image.url} alt={image.prompt} width={512} height={512} />
          <figcaption>
            {image.size} · {image.model}{' '}
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => void run(image.prompt)}
            >
              Regenerate
            </button>
          </figcaption>
        </figure>
      ) : null}
    </section>
  );
}
