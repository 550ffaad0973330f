/**
 * Whether the application registered Agents SDK trace processors. The SDK keeps its processors private, so the
 * global trace provider's `registerProcessor` / `setProcessors` (what `addTraceProcessor` / `setTraceProcessors`
 * call) are watched from the moment this module loads: the default OpenAI exporter that `@openai/agents` sets up
 * when it loads is not counted, anything registered afterwards is.
 */
import { getGlobalTraceProvider, type TraceProvider, type TracingProcessor } from '@openai/agents';

/** Shared by every copy of this module in the process (the provider is one global). */
const WATCH = Symbol.for('relaykit.agent-core.traceProcessors');

interface TraceProcessorWatch {
  registered: boolean;
}

type WatchedProvider = TraceProvider & { [WATCH]?: TraceProcessorWatch };

function watchTraceProcessors(): TraceProcessorWatch {
  const provider = getGlobalTraceProvider() as WatchedProvider;
  const existing = provider[WATCH];
  if (existing) return existing;
  const watch: TraceProcessorWatch = { registered: false };
  const register = provider.registerProcessor.bind(provider);
  const set = provider.setProcessors.bind(provider);
  provider.registerProcessor = (processor: TracingProcessor) => {
    watch.registered = true;
    register(processor);
  };
  provider.setProcessors = (processors: TracingProcessor[]) => {
    watch.registered = processors.length > 0;
    set(processors);
  };
  Object.defineProperty(provider, WATCH, { value: watch });
  return watch;
}

watchTraceProcessors();

/**
 * True once the application has registered a trace processor with the Agents SDK's `addTraceProcessor` or a
 * non-empty `setTraceProcessors` (after `@relaykit/agent-core` loaded): the agents responder then traces its runs
 * unless `runConfig.tracingDisabled` says otherwise.
 */
export function hasTraceProcessors(): boolean {
  return watchTraceProcessors().registered;
}
