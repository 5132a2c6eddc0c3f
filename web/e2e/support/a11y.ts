import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * WCAG 2.1 A and AA checks of what the page shows now (axe-core), serious and critical
 * findings only. Evaluated through the DevTools protocol, so the page's CSP stays as served.
 */
export async function accessibilityViolations(page: Page): Promise<Violation[]> {
  await settleAnimations(page);
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type Result = { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> };
    const axe = (globalThis as unknown as { axe: { run(options: unknown): Promise<Result> } }).axe;
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}

/**
 * Waits for the page's finite CSS animations and transitions (a dialog zooming in, a message
 * fading) to end: axe measures colours as painted, and a half-faded button reads as low contrast.
 * Spinners and other endless animations are left running.
 */
async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate(async () => {
    type Running = { finished: Promise<unknown>; effect: { getComputedTiming(): { endTime?: number | string } } | null };
    const doc = (globalThis as unknown as { document: { getAnimations(): Running[] } }).document;
    const finite = doc.getAnimations().filter((a) => Number.isFinite(Number(a.effect?.getComputedTiming().endTime ?? Infinity)));
    const deadline = new Promise((resolve) => setTimeout(resolve, 3000));
    await Promise.race([Promise.allSettled(finite.map((a) => a.finished)), deadline]);
  });
}

/** Fails with the findings when the page, as it is now, has any. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const found = await accessibilityViolations(page);
  if (found.length > 0) throw new Error(`accessibility violations (${where}):\n${JSON.stringify(found, null, 2)}`);
}
