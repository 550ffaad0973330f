// README-EXAMPLE-START
import { accumulateText, Button, Card, streamWidget, Text } from '@relaykit/sse-protocol/widgets';

// In a ChatKit `respond` or `action` handler: a contract card whose terms stream in as the model writes them.
export function contractCard(thread: { id: string }, terms: AsyncIterable<string>, generateId: () => string) {
  const card = Card({
    status: { text: 'Venue contract', icon: 'document' },
    children: [
      Text({ id: 'terms', value: '', streaming: true }),
      Button({ label: 'Sign', onClickAction: { type: 'contract.sign', payload: { contractId: 'c_1' } } }),
    ],
  });
  // thread.item.added, one value delta per chunk, a root update (streaming ends), thread.item.done
  return streamWidget(thread, accumulateText(terms, card), { generateId, copyText: 'Venue contract' });
}
// README-EXAMPLE-END
