import { ChatPage } from '../../src/components/chat/chat-page';

export const dynamic = 'force-dynamic';

export default function Page() {
  return <ChatPage threadId={null} />;
}
