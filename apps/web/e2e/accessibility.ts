/** axe-core scans of a live page. */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeScript = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** One axe violation, reduced to what a failure message needs. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  targets: string[];
}

interface AxeWindow {
  axe?: {
    run(context: Document): Promise<{
      violations: Array<{
        id: string;
        impact?: string | null;
        help: string;
        helpUrl: string;
        nodes: Array<{ target: unknown[] }>;
      }>;
    }>;
  };
}

/** Injects axe-core into `page` (once) and returns its violations of impact `serious` or `critical`. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => (window as unknown as AxeWindow).axe !== undefined);
  if (!loaded) await page.addScriptTag({ path: axeScript });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as AxeWindow).axe!.run(document);
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      helpUrl: violation.helpUrl,
      targets: violation.nodes.map((node) => node.target.map(String).join(' ')),
    }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** A readable list of violations for an assertion message. */
export function formatViolations(page: string, violations: AxeViolation[]): string {
  return violations
    .map(
      (violation) =>
        `${page}: [${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})\n    ${violation.targets.join('\n    ')}`,
    )
    .join('\n');
}
