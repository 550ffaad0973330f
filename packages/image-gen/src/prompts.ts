import { RequestError } from '@relaykit/sse-protocol';
import { z } from 'zod';
import { assertPrompt } from './models';

/** A reusable prompt: zod-checked parameters rendered into text no longer than `maxLength`. */
export interface PromptTemplate<Schema extends z.ZodType> {
  readonly name: string;
  readonly parameters: Schema;
  readonly maxLength: number;
  /** Validates `input` and renders the prompt. Throws `invalid_request` with the zod issues, or for an over-long prompt. */
  render(input: z.input<Schema>): string;
}

/** Options of {@link definePromptTemplate}. */
export interface PromptTemplateOptions<Schema extends z.ZodType> {
  name: string;
  parameters: Schema;
  render: (parameters: z.output<Schema>) => string;
  /** The longest prompt allowed, in characters. Default 4,000 (DALL·E 3's limit, so a template works on every model). */
  maxLength?: number;
}

/** Defines a {@link PromptTemplate}. */
export function definePromptTemplate<Schema extends z.ZodType>(
  options: PromptTemplateOptions<Schema>,
): PromptTemplate<Schema> {
  const maxLength = options.maxLength ?? 4_000;
  return {
    name: options.name,
    parameters: options.parameters,
    maxLength,
    render(input) {
      const parsed = options.parameters.safeParse(input);
      if (!parsed.success)
        throw new RequestError('invalid_request', `invalid parameters for prompt template ${options.name}`, {
          details: { template: options.name, issues: parsed.error.issues },
        });
      const prompt = options.render(parsed.data).trim();
      assertPrompt(prompt, maxLength);
      return prompt;
    },
  };
}

/** Parameters of {@link portraitPrompt}. */
export const PortraitParameters = z
  .object({
    /** An age range such as `"10-12"`. */
    ageRange: z.string().regex(/^\d{1,2}\s*-\s*\d{1,2}$/, 'age range like "10-12"'),
    genderPresentation: z.enum(['feminine', 'masculine', 'neutral']).default('neutral'),
    /** Where the portrait is set, e.g. `"a sunny classroom"`. */
    setting: z.string().min(1).max(200).default('a plain studio background'),
    style: z.enum(['illustration', 'watercolor', 'photo-realistic', 'cartoon']).default('illustration'),
    /** Free-form details (hair, clothing, expression), kept short. */
    details: z.string().max(500).optional(),
  })
  .strict();
/** Parameters of {@link portraitPrompt}. */
export type PortraitParameters = z.input<typeof PortraitParameters>;

/** A friendly, school-appropriate head-and-shoulders portrait, as in the class-portraits scenario. */
export const portraitPrompt: PromptTemplate<typeof PortraitParameters> = definePromptTemplate({
  name: 'portrait',
  parameters: PortraitParameters,
  render: (p) =>
    [
      `A friendly, school-appropriate ${p.style} head-and-shoulders portrait of a child aged ${p.ageRange.replace(/\s+/g, '')}`,
      p.genderPresentation === 'neutral' ? '' : ` with a ${p.genderPresentation} presentation`,
      `, set in ${p.setting}.`,
      p.details ? ` ${p.details}.` : '',
      ' Soft lighting, warm colours, centred face, no text or logos.',
    ].join(''),
});
