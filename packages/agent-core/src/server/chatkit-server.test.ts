import { createMemoryStore } from '@relaykit/chatkit-store';
import { chatKitServerConformance } from './conformance.suite';

chatKitServerConformance('memory store', async () => ({ store: createMemoryStore() as never }));
