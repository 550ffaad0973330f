import { z } from 'zod';

const PlainRecord = z.record(z.string(), z.unknown());

/**
 * A JSON object the application owns (`client_effect.data`, tool `arguments`, `metadata`, entity `data`, ...):
 * validated as a record, then copied with every own key, `__proto__` included, as `JSON.parse` keeps it.
 * `z.record` alone drops a `__proto__` key (it builds its output by assignment and skips that name), which loses
 * data the application sent and breaks the wire round trip.
 */
export const JsonRecord = z
  .custom<Record<string, unknown>>()
  .check((ctx) => {
    const result = PlainRecord.safeParse(ctx.value);
    if (!result.success) {
      for (const issue of result.error.issues) ctx.issues.push({ ...issue, input: ctx.value } as never);
    }
  })
  // Spread uses CreateDataProperty, so `__proto__` stays an own data property and never becomes the prototype.
  .transform((record) => ({ ...record }));
