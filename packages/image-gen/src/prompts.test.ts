import { isRelayKitError } from '@relaykit/sse-protocol';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePromptTemplate, portraitPrompt } from './prompts';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('prompt templates', () => {
  it('renders the portrait template from checked parameters with defaults', () => {
    const prompt = portraitPrompt.render({
      ageRange: '10 - 12',
      genderPresentation: 'feminine',
      setting: 'a library',
    });
    expect(prompt).toContain('illustration head-and-shoulders portrait of a child aged 10-12');
    expect(prompt).toContain('with a feminine presentation');
    expect(prompt).toContain('set in a library.');
    expect(portraitPrompt.render({ ageRange: '6-8' })).toContain('set in a plain studio background');
  });

  it('rejects bad parameters with invalid_request and the zod issues', () => {
    const error = caught(() => portraitPrompt.render({ ageRange: 'young', extra: 1 } as never));
    expect(isRelayKitError(error) && error.code).toBe('invalid_request');
    const issues = (error as { details: { issues: Array<{ path: unknown[] }> } }).details.issues;
    expect(issues.map((issue) => issue.path[0] ?? 'root')).toEqual(expect.arrayContaining(['ageRange']));
  });

  it('checks the rendered prompt against the length limit and emptiness', () => {
    const echo = definePromptTemplate({
      name: 'echo',
      parameters: z.object({ text: z.string() }),
      render: (p) => p.text,
      maxLength: 10,
    });
    expect(echo.render({ text: 'a cat' })).toBe('a cat');
    const long = caught(() => echo.render({ text: 'x'.repeat(11) }));
    expect(long).toMatchObject({ code: 'invalid_request', details: { length: 11, maxLength: 10 } });
    expect(caught(() => echo.render({ text: '   ' }))).toMatchObject({ code: 'invalid_request' });
  });
});
