'use client';

import { type FormEvent, useState } from 'react';
import { type BatchItemJSON, generateBatch } from '../../client/images-client';

type ItemStatus = 'queued' | 'running' | 'succeeded' | 'failed';
interface ItemState {
  id: string;
  prompt: string;
  status: ItemStatus;
  url?: string;
  error?: string;
}

const statusOf = (item: BatchItemJSON): ItemStatus => (item.status === 'retrying' ? 'running' : item.status);

/** A batch (e.g. a class roster, one prompt per line) with a live progress bar and per-item status. */
export function BatchImages({ onStored }: { onStored?: () => void } = {}) {
  const [text, setText] = useState('');
  const [items, setItems] = useState<ItemState[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (batch: ItemState[]) => {
    setBusy(true);
    setError(null);
    const ids = new Set(batch.map((item) => item.id));
    setItems((current) => {
      const kept = current.filter((item) => !ids.has(item.id));
      const running = batch.map(({ error: _error, ...item }) => ({ ...item, status: 'running' as const }));
      return current.length === 0 ? running : [...kept, ...running].sort((a, b) => order(a.id) - order(b.id));
    });
    try {
      for await (const event of generateBatch(batch.map(({ id, prompt }) => ({ id, prompt })))) {
        if (event.event === 'progress' || event.event === 'done') {
          const updates = event.event === 'progress' ? [event.data.item] : event.data.items;
          setItems((current) =>
            current.map((item) => {
              const update = updates.find((u) => u.id === item.id);
              if (!update) return item;
              return {
                ...item,
                status: statusOf(update),
                ...(update.image ? { url: update.image.url } : {}),
                ...(update.error ? { error: update.error.message } : {}),
              };
            }),
          );
        } else if (event.event === 'error') setError(event.data.message);
      }
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      setError(message);
      // Nothing of this run will come: its items fail with the reason, so "Retry failed" can send them again.
      setItems((current) =>
        current.map((item) =>
          ids.has(item.id) && (item.status === 'running' || item.status === 'queued')
            ? { ...item, status: 'failed', error: message }
            : item,
        ),
      );
    } finally {
      setBusy(false);
      onStored?.();
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const prompts = text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    if (prompts.length === 0) return;
    const batch = prompts.map((prompt, index) => ({
      id: `item-${index}`,
      prompt,
      status: 'queued' as const,
    }));
    setItems(batch);
    void run(batch);
  };

  const done = items.filter((item) => item.status === 'succeeded' || item.status === 'failed').length;
  const failed = items.filter((item) => item.status === 'failed');

  return (
    <section aria-labelledby="batch-heading">
      <h2 id="batch-heading">Batch</h2>
      <form onSubmit={submit}>
        <label htmlFor="batch-prompts">Batch prompts (one per line)</label>
        <textarea
          id="batch-prompts"
          rows={5}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <div>
          <button type="submit" disabled={busy || !text.trim()}>
            Generate batch
          </button>
        </div>
      </form>
      {items.length > 0 ? (
        <>
          <div className="batch-progress">
            <span id="batch-progress-label">Batch progress</span>
            <div
              role="progressbar"
              aria-labelledby="batch-progress-label"
              aria-valuenow={done}
              aria-valuemin={0}
              aria-valuemax={items.length}
              aria-valuetext={`${done}/${items.length}`}
              className="bar"
            >
              <div className="bar-fill" style={{ width: `${(100 * done) / items.length}%` }} />
            </div>
            <span>
              {done}/{items.length}
            </span>
          </div>
          <ul aria-label="Batch items" className="batch-items">
            {items.map((item) => (
              <li key={item.id}>
                <span className={`status-${item.status}`}>{item.status}</span>: {shortPrompt(item.prompt)}
                {item.url ? (
                  // biome-ignore lint/performance/noImgElement: generated images are served by the app
                  <img src={item.url} alt={item.prompt} width={128} height={128} />
                ) : null}
                {item.error ? <span className="error item-error">{item.error}</span> : null}
              </li>
            ))}
          </ul>
          {failed.length > 0 && !busy ? (
            <button
              type="button"
              onClick={() => void run(failed.map((item) => ({ ...item, status: 'queued' })))}
            >
              Retry failed
            </button>
          ) : null}
        </>
      ) : null}
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
    </section>
  );
}

/** A prompt as the list shows it: at most 120 characters (a rejected prompt may be thousands long). */
const shortPrompt = (prompt: string) => (prompt.length > 120 ? `${prompt.slice(0, 120)}…` : prompt);

const order = (id: string) => Number(id.replace('item-', '')) || 0;
