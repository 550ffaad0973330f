// The quick start of the README, verbatim between the markers (a test runs it against a local server).
// README-EXAMPLE-START
import { streamChat } from '../src/client';

/** Sends one message and returns the assistant's reply, printing it as it streams in. */
export async function ask(url: string, message: string, token?: string): Promise<string> {
  let reply = '';
  for await (const event of streamChat({
    url,
    body: { message, stream: true },
    headers: token ? { authorization: `Bearer ${token}` } : {},
  })) {
    if (event.event === 'chunk') process.stdout.write((event.data as { text: string }).text);
    if (event.event === 'text_done') reply = (event.data as { text: string }).text;
    if (event.event === 'error') throw new Error((event.data as { message: string }).message);
  }
  return reply;
}
// README-EXAMPLE-END
