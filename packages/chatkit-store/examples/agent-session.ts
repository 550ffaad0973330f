import { Agent, run } from '@openai/agents';
import { createPGliteSessionStore } from '@relaykit/chatkit-store/pglite';

export async function rememberAcrossRuns(userId: string) {
  const sessions = await createPGliteSessionStore(); // or the Postgres / Supabase session store
  const session = sessions.session('trip-planning', { userId }); // an Agents SDK Session, as this user
  const agent = new Agent({ name: 'Planner', instructions: 'Be brief.', model: 'gpt-4.1-mini' });
  await run(agent, 'My name is Ada.', { session });
  const second = await run(agent, 'What is my name?', { session }); // sent with the first turn as history
  const history = await session.getItems(); // both turns, oldest first
  await sessions.close();
  return { answer: second.finalOutput, history };
}
