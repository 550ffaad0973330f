import { describe, expect, it } from 'vitest';
import { corsHeaders, isPreflightRequest, preflightResponse } from './cors';

const options = { allowedOrigins: ['https://app.example.com'] };

function preflight(origin?: string): Request {
  const headers: Record<string, string> = { 'access-control-request-method': 'POST' };
  if (origin) headers.origin = origin;
  return new Request('http://localhost/functions/v1/chatkit', { method: 'OPTIONS', headers });
}

describe('CORS', () => {
  it('answers a preflight from an allowed origin with 204 and the allow headers', () => {
    const request = preflight('https://app.example.com');
    expect(isPreflightRequest(request)).toBe(true);
    const response = preflightResponse(request, options);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(response.headers.get('vary')).toBe('Origin');
  });

  it('answers 403 forbidden JSON to a preflight from another origin or none', async () => {
    for (const request of [preflight('https://evil.example.com'), preflight()]) {
      const response = preflightResponse(request, options);
      expect(response.status).toBe(403);
      expect((await response.json()).error.code).toBe('forbidden');
      expect(response.headers.has('access-control-allow-origin')).toBe(false);
    }
  });

  it('gives response headers for allowed origins, none without Origin, null for others', () => {
    const allowed = corsHeaders(
      new Request('http://localhost/', { headers: { origin: 'https://app.example.com' } }),
      options,
    );
    expect(allowed?.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed?.get('access-control-expose-headers')).toContain('retry-after');
    expect([...(corsHeaders(new Request('http://localhost/'), options) ?? [])]).toEqual([]);
    expect(
      corsHeaders(new Request('http://localhost/', { headers: { origin: 'https://x.test' } }), options),
    ).toBeNull();
    expect(
      corsHeaders(new Request('http://localhost/', { headers: { origin: 'https://x.test' } }), {
        allowedOrigins: '*',
      })?.get('access-control-allow-origin'),
    ).toBe('https://x.test');
  });
});
