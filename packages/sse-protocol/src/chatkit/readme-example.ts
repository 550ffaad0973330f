// The quick start of the package README, verbatim between the markers (a test runs it and checks the README still
// shows exactly this code).
// README-EXAMPLE-START
import { createChatKitEventEncoder, parseChatKitRequest, sseResponse } from '../index';

// A ChatKit endpoint: parse the request strictly (bad body → RequestError 'invalid_request'), stream the answer.
export async function handleChatKit(request: Request): Promise<Response> {
  const body = parseChatKitRequest(await request.text());
  const encoder = createChatKitEventEncoder(); // events in, `data: <compact JSON>\n\n` bytes out
  const writer = encoder.writable.getWriter();
  const thread = { id: 'thr_1', created_at: new Date() };
  void (async () => {
    await writer.write({ type: 'thread.created', thread });
    const content = [{ type: 'output_text' as const, text: `You sent ${body.type}.` }];
    const item = { id: 'msg_1', thread_id: thread.id, created_at: new Date(), content };
    await writer.write({ type: 'thread.item.done', item: { ...item, type: 'assistant_message' } });
    await writer.close();
  })();
  return sseResponse(encoder.readable, { signal: request.signal }); // SSE headers, `: ping` while idle
}
// README-EXAMPLE-END
