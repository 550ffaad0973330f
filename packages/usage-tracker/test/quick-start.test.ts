import { expect, it } from 'vitest';
import { handleChat } from '../examples/quick-start';

it('the README quick start limits chat to 10 a minute and prices each call', async () => {
  const callModel = async () => ({
    model: 'gpt-4o-mini-2024-07-18',
    usage: { input_tokens: 1_000, output_tokens: 100 },
  });
  const statuses = [];
  for (let index = 0; index < 11; index++) statuses.push((await handleChat('teacher-1', callModel)).status);
  expect(statuses).toEqual([...Array(10).fill(200), 429]);
  const body = await (await handleChat('teacher-2', callModel)).json();
  expect(body.cost).toMatchObject({ status: 'priced', costMicros: 210 }); // 1000 × $0.15 + 100 × $0.60 per million
});
