'use client';

import { useCallback, useEffect, useState } from 'react';
import { listImages, type StoredImageJSON } from '../../client/images-client';

/** The user's stored images, newest first, a page at a time; `version` changes reload the first page. */
export function Gallery({ version }: { version: number }) {
  const [images, setImages] = useState<StoredImageJSON[]>([]);
  const [after, setAfter] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (cursor?: string) => {
    setLoading(true);
    setError(null);
    try {
      const page = await listImages(cursor);
      setImages((current) => (cursor ? [...current, ...page.images] : page.images));
      setAfter(page.after);
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setLoading(false);
    }
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the reload signal
  useEffect(() => {
    void load();
  }, [load, version]);

  return (
    <section aria-labelledby="gallery-heading" className="gallery">
      <h2 id="gallery-heading">Your images</h2>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      {!loading && images.length === 0 && !error ? <p className="muted">No images yet.</p> : null}
      <ul aria-label="Stored images" className="gallery-grid">
        {images.map((image) => (
          <li key={image.path}>
            <figure>
              {/* biome-ignore lint/performance/noImgElement: stored images are served by the app, not optimised */}
              <img
                src={image.url}
                alt={image.prompt ?? 'An image you generated'}
                loading="lazy"
                width={160}
                height={160}
              />
              <figcaption>
                <span className="gallery-prompt">{image.prompt ?? 'No prompt recorded'}</span>
                <time dateTime={image.createdAt}>{image.createdAt.slice(0, 16).replace('T', ' ')}</time>
              </figcaption>
            </figure>
          </li>
        ))}
      </ul>
      {loading ? <p role="status">Loading images…</p> : null}
      {after && !loading ? (
        <button type="button" className="secondary" onClick={() => void load(after)}>
          Load more images
        </button>
      ) : null}
    </section>
  );
}
