import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { expect, it } from 'vitest';
import { RecentErrors } from './recent-errors';

const render = (errors: Parameters<typeof RecentErrors>[0]['errors']) =>
  renderToStaticMarkup(createElement(RecentErrors, { errors }));

it('shows each failed call with its request id, monospace and quotable, and none when it is unknown', () => {
  const html = render([
    {
      at: '2026-12-08T02:00:00.000Z',
      code: 'provider_unavailable',
      message: 'The model provider failed.',
      model: 'gpt-4o-mini',
      requestId: 'req_0123456789abcdef0123456789abcdef',
    },
    { at: '2026-12-08T01:00:00.000Z', code: 'content_policy', message: 'Blocked.', requestId: null },
  ]);
  const rows = html.split('<tr>').slice(2);
  expect(rows).toHaveLength(2);
  expect(rows[0]).toContain('provider_unavailable');
  expect(rows[0]).toContain('gpt-4o-mini');
  expect(rows[0]).toMatch(
    /<small class="request-id" data-testid="recent-error-request-id">Request <code [^>]*>req_0123456789abcdef0123456789abcdef<\/code><\/small>/,
  );
  expect(rows[1]).toContain('Blocked.');
  expect(rows[1]).toContain('—');
  expect(rows[1]).not.toContain('request-id');
});

it('says so when there is no failed call', () => {
  expect(render([])).toBe('<p>No failed calls.</p>');
});
