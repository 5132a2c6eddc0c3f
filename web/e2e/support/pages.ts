import type { Locator, Page } from 'playwright-core';

/** Generous: the whole suite shares two cores with this browser. */
export const SLOW = 20_000;

/** Signs in through the demo identity picker, as a person would. */
export async function signIn(page: Page, baseUrl: string, name: string): Promise<void> {
  await page.goto(new URL('/sign-in', baseUrl).toString());
  await page.getByRole('button', { name: `以此身份登录: ${name}` }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'), { timeout: SLOW });
}

/** Opens a listing from Discover by searching for it and following its card. */
export async function openListing(page: Page, baseUrl: string, search: string, title: string): Promise<void> {
  await page.goto(new URL('/', baseUrl).toString());
  const box = page.locator('#discover-text');
  await box.fill(search);
  await box.press('Enter');
  await page.getByRole('link', { name: title }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor({ timeout: SLOW });
}

/** The first free slot of the calendar, optionally of the n-th day shown (0 = today). */
export function freeSlot(page: Page, day?: number): Locator {
  const scope = day === undefined ? page.locator('.week') : page.locator('.week-day').nth(day);
  return scope.locator('[data-slot][data-free="true"]').first();
}

export function bookingCard(page: Page, id: string): Locator {
  return page.locator(`.booking-card[data-booking-id="${id}"]`);
}

export async function waitForStatus(card: Locator, status: string, timeout = SLOW): Promise<void> {
  await card.locator(`[data-status="${status}"]`).waitFor({ timeout });
}

export async function attribute(locator: Locator, name: string): Promise<string> {
  const value = await locator.getAttribute(name);
  if (!value) throw new Error(`expected ${name} on ${locator.toString()}`);
  return value;
}
