/** What a model policy sees to choose a model for one run. */
export interface ModelChoiceInput {
  /** The user's message text (after slash-command handling). */
  text: string;
  /** The agent type chosen for the run. */
  agentType: string;
  /** The agent's own default model, when it has one. */
  agentModel?: string;
  /** A model the client asked for (ChatKit `inference_options.model`), not yet trusted. */
  requestedModel?: string;
}

/** The chosen model and why; recorded in the assistant item's metadata. */
export interface ModelChoice {
  model: string;
  reason: string;
}

/** Chooses the model for a run. Pure and synchronous so it can be tested and logged. */
export type ModelPolicy = (input: ModelChoiceInput) => ModelChoice;

/** A policy that always answers one model, unless the agent names its own. */
export function fixedModelPolicy(model: string): ModelPolicy {
  return (input) =>
    input.agentModel
      ? { model: input.agentModel, reason: 'agent default' }
      : { model, reason: 'server default' };
}

/** Options of {@link complexityModelPolicy}. */
export interface ComplexityModelPolicyOptions {
  /** The cheap model for short, simple messages (e.g. `gpt-4.1-mini`). */
  simpleModel: string;
  /** The strong model for everything else (e.g. `gpt-4.1`). */
  complexModel: string;
  /** Longest message, in characters, still considered simple. Default 280. */
  maxSimpleLength?: number;
  /** Patterns that make a message complex whatever its length. Default: code, SQL, analysis and planning words. */
  complexPatterns?: RegExp[];
  /** Models a client may request through `inference_options.model`. Default: none (requests are ignored). */
  allowedRequestedModels?: string[];
}

const DEFAULT_COMPLEX_PATTERNS = [
  /```/,
  /\b(select|insert|update|delete|create|alter)\b[\s\S]*\b(from|into|table|set|where)\b/i,
  /\b(analy[sz]e|compare|explain why|step[- ]by[- ]step|design|architect|plan|optimi[sz]e|debug|refactor|prove)\b/i,
];

/**
 * Dynamic model choice by message complexity: a cheap model for short simple messages, a strong one otherwise.
 * An allowed model requested by the client wins; an agent's own model is used for complex messages.
 */
export function complexityModelPolicy(options: ComplexityModelPolicyOptions): ModelPolicy {
  const maxSimpleLength = options.maxSimpleLength ?? 280;
  const patterns = options.complexPatterns ?? DEFAULT_COMPLEX_PATTERNS;
  const allowed = new Set(options.allowedRequestedModels ?? []);
  return (input) => {
    if (input.requestedModel && allowed.has(input.requestedModel)) {
      return { model: input.requestedModel, reason: 'requested by the client' };
    }
    const text = input.text.trim();
    const pattern = patterns.find((candidate) => candidate.test(text));
    if (pattern)
      return { model: input.agentModel ?? options.complexModel, reason: `complex: matches ${pattern}` };
    if (text.length > maxSimpleLength) {
      return {
        model: input.agentModel ?? options.complexModel,
        reason: `complex: longer than ${maxSimpleLength} characters`,
      };
    }
    return {
      model: options.simpleModel,
      reason: `simple: at most ${maxSimpleLength} characters, no complex markers`,
    };
  };
}
