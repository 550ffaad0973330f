/**
 * In-page recorders: a `MutationObserver` samples a value after every DOM commit, so a test sees each state the UI
 * went through (streamed text lengths, progress values, transient status texts) without sleeping or polling.
 */
import type { Page } from 'playwright-core';

/** What a recorder samples from the elements matching its selector. */
export type RecorderRead =
  /** Length of the last matching element's text. */
  | { kind: 'text-length' }
  /** An attribute of the last matching element. */
  | { kind: 'attribute'; name: string }
  /** The text of every matching element. */
  | { kind: 'texts' };

/** A running recorder. */
export interface Recorder {
  /** Distinct consecutive samples so far (for `texts`: every distinct text seen). */
  samples(): Promise<string[]>;
  /** Disconnects the observer and returns the samples. */
  stop(): Promise<string[]>;
}

interface RecorderWindow {
  __relaykitRecorders?: Record<string, { samples: string[]; stop(): void }>;
}

let counter = 0;

/** Starts sampling `read` of the elements matching the CSS `selector` on every DOM change of `page`. */
export async function startRecorder(page: Page, selector: string, read: RecorderRead): Promise<Recorder> {
  counter += 1;
  const key = `recorder-${counter}`;
  await page.evaluate(
    ({ key, selector, read }) => {
      const samples: string[] = [];
      const add = (value: string) => {
        if (read.kind === 'texts' ? !samples.includes(value) : samples[samples.length - 1] !== value) {
          samples.push(value);
        }
      };
      const sample = () => {
        const elements = [...document.querySelectorAll(selector)];
        if (read.kind === 'texts') {
          for (const element of elements) add((element.textContent ?? '').trim());
          return;
        }
        const last = elements[elements.length - 1];
        if (last === undefined) return;
        if (read.kind === 'text-length') add(String((last.textContent ?? '').length));
        else add(last.getAttribute(read.name) ?? '');
      };
      const observer = new MutationObserver(sample);
      observer.observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
      sample();
      const target = window as unknown as RecorderWindow;
      target.__relaykitRecorders ??= {};
      target.__relaykitRecorders[key] = { samples, stop: () => observer.disconnect() };
    },
    { key, selector, read },
  );
  const samples = () =>
    page.evaluate(
      (key) => [...((window as unknown as RecorderWindow).__relaykitRecorders?.[key]?.samples ?? [])],
      key,
    );
  return {
    samples,
    stop: async () => {
      const result = await samples();
      await page.evaluate(
        (key) => (window as unknown as RecorderWindow).__relaykitRecorders?.[key]?.stop(),
        key,
      );
      return result;
    },
  };
}
