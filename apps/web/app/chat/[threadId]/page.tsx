import { ChatPage } from '../../../src/components/chat/chat-page';

export const dynamic = 'force-dynamic';

export default async function Page({ params }: { params: Promise<{ threadId: string }> }) {
  const { threadId } = await params;
  return <ChatPage threadId={threadId} />;
}
