import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, expectAccessible, type Violation } from './support/a11y.js';
import { DESKTOP, launchChromium, openPage, PHONE, screenshot, type WatchedPage } from './support/browser.js';
import { startWebE2E, type WebE2E } from './support/federation.js';
import { supportedLiveOperations } from '../codegen/live-operations.js';
import { attribute, bookingCard, freeSlot, openListing, signIn, SLOW, waitForStatus } from './support/pages.js';

/**
 * The booking client in Chromium against a real demo federation (every community, the
 * exchange and the gateway as processes on fresh databases), as residents and staff use it.
 * Every page opened must finish without a console error.
 */
/** Which subscriptions the supergraph serves, as the client's build decides it. */
const LIVE = supportedLiveOperations(
  fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url)),
  fileURLToPath(new URL('../src/live/subscriptions.graphql', import.meta.url)),
);

let w: WebE2E;
let browser: Browser;
const opened: WatchedPage[] = [];

const open = async (viewport = DESKTOP) => {
  const watched = await openPage(browser, { viewport });
  opened.push(watched);
  return watched;
};

beforeAll(async () => {
  [w, browser] = await Promise.all([startWebE2E('e2e_web'), launchChromium()]);
}, 180_000);

afterEach(async () => {
  const errors = opened.flatMap((o) => o.errors);
  await Promise.all(opened.splice(0).map((o) => o.context.close()));
  expect(errors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await w?.close();
}, 60_000);

describe('the booking web client', () => {
  it('lets a resident of A book a court in B and shows it confirmed', async () => {
    const { page } = await open();
    await signIn(page, w.web.url, '王秀英');
    await openListing(page, w.web.url, '羽毛', '羽毛球场');
    // The browser keeps New York time; the calendar keeps Shanghai's, where the courts open at 8.
    expect(await freeSlot(page, 2).locator('.slot-time').textContent()).toBe('08:00');
    // By keyboard: two days ahead, so cancelling is still free of charge.
    await freeSlot(page, 2).focus();
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('booking-price').textContent()).toBe('8 积分');
    expect(await page.getByTestId('booking-balance').textContent()).toBe('100 积分');
    await expectAccessible(page, 'booking form');
    await page.getByRole('button', { name: /确认预约/ }).click();

    const result = page.getByRole('status').filter({ hasText: '预约成功，已确认' });
    await result.waitFor({ timeout: SLOW });
    const id = await attribute(result, 'data-booking-id');
    await page.getByRole('button', { name: '查看我的预约' }).click();
    const card = bookingCard(page, id);
    await waitForStatus(card, 'CONFIRMED');
    expect(await card.textContent()).toContain('七宝沪星社区');

    // Add to calendar: an iCalendar file with the booking's times in UTC.
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: '加入日历' }).click()]);
    const ics = readFileSync(await download.path(), 'utf8');
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain(`UID:${id}@linli`);
    expect(ics).toMatch(/\r\nDTSTART:\d{8}T000000Z\r\nDTEND:\d{8}T010000Z\r\n/); // 08:00–09:00 in Shanghai
    expect(ics).toContain('SUMMARY:羽毛球场');

    // Cancelling says what comes back before anything happens, then does it.
    await card.getByRole('button', { name: '取消预约' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByTestId('refund-preview').textContent()).toBe('现在取消将全额退还 8 积分。');
    await expectAccessible(page, 'cancel dialog');
    await dialog.getByRole('button', { name: '确认取消' }).click();
    await waitForStatus(card, 'CANCELLED');
    expect(await card.textContent()).toContain('已退还 8 积分');
  }, 90_000);

  it('lets staff withdraw a listing and publish it again', async () => {
    const { page } = await open();
    await signIn(page, w.web.url, '吴晓峰');
    await page.getByRole('menuitem', { name: '社区服务台' }).click();
    await page.getByRole('tab', { name: '发布管理' }).click();
    const card = page.locator('.ant-card', { has: page.getByRole('heading', { name: '康复辅具借用' }) });
    await card.getByText('已发布').waitFor({ timeout: SLOW });
    await card.getByRole('button', { name: '撤回' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '撤回' }).click();
    await card.getByText('未发布').waitFor({ timeout: SLOW });
    expect(await listingTitled('康复辅具借用').catch(() => null)).toBeNull();

    await card.getByRole('button', { name: '发布' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByLabel('标题（中文）').inputValue()).toBe('康复辅具借用');
    await expectAccessible(page, 'publish dialog');
    await dialog.getByRole('button', { name: '发布' }).click();
    await card.getByText('已发布').waitFor({ timeout: SLOW });
    expect((await listingTitled('康复辅具借用')).priceCreditsPerSlot).toBe(2);
  }, 60_000);

  it.each([
    ['through the gateway’s subscriptions where it serves them', 'live'],
    ['by polling where subscriptions are off', 'polling'],
  ] as const)('turns a day-care seat CONFIRMED on the resident’s page when A’s staff approve it, %s', async (_how, mode) => {
    const site = mode === 'live' ? w.web.url : w.pollingWeb.url;
    const resident = await open();
    await signIn(resident.page, site, '刘德明');
    await openListing(resident.page, site, '幼儿园', '新镇幼儿园日托学位');
    await freeSlot(resident.page).click();
    await resident.page.getByRole('button', { name: /确认预约/ }).click();
    const waiting = resident.page.getByRole('status').filter({ hasText: '等待七宝新镇社区审批' });
    await waiting.waitFor({ timeout: SLOW });
    const id = await attribute(waiting, 'data-booking-id');
    await resident.page.getByRole('button', { name: '查看我的预约' }).click();
    const card = bookingCard(resident.page, id);
    await waitForStatus(card, 'AWAITING_APPROVAL');
    const live = mode === 'live' && LIVE.MyBookingsUpdated === true;
    await resident.page.getByText(live ? '实时更新' : '自动刷新', { exact: true }).waitFor({ timeout: SLOW });
    // Marks this page: after the approval it must still be the same document, not a reload.
    await resident.page.evaluate(() => Object.assign(globalThis, { __sameDocument: true }));

    const staff = await open();
    await signIn(staff.page, site, '陈丽华');
    await staff.page.getByRole('menuitem', { name: '社区服务台' }).click();
    const request = bookingCard(staff.page, id);
    await request.waitFor({ timeout: SLOW });
    await request.getByRole('button', { name: '批准' }).click();
    await staff.page.getByText('已批准').first().waitFor({ timeout: SLOW });
    await request.waitFor({ state: 'detached', timeout: SLOW });

    await waitForStatus(card, 'CONFIRMED');
    expect(await resident.page.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  }, 90_000);

  it('says plainly when the resident has too little credit', async () => {
    const { page } = await open();
    await signIn(page, w.web.url, '张桂兰');
    await openListing(page, w.web.url, '体育馆', '沪星社区体育馆');
    await freeSlot(page, 1).click(); // tomorrow: the whole day is ahead, three hours in a row are free
    await page.locator('#booking-duration').click();
    await page.locator('.ant-select-item-option', { hasText: '180 分钟' }).click();
    expect(await page.getByTestId('booking-price').textContent()).toBe('90 积分');
    expect(await page.getByTestId('booking-balance').textContent()).toBe('100 积分');

    // Meanwhile, another booking of hers (in another tab, say) holds 20 of her 100 credits.
    await spendElsewhere(w.tokenOf('resident-c'), 20);
    await page.getByRole('button', { name: /确认预约/ }).click();

    const alert = page.locator('[data-error-code="INSUFFICIENT_FUNDS"]');
    await alert.waitFor({ timeout: SLOW });
    expect(await alert.textContent()).toContain('积分不足：可用 80，需要 90');
    // The balance is read again: the form now says so before anyone presses confirm.
    await page.getByTestId('booking-balance').filter({ hasText: '80 积分' }).waitFor({ timeout: SLOW });
    expect(await page.getByRole('button', { name: /确认预约/ }).isDisabled()).toBe(true);
  }, 90_000);

  it('switches to English and back, and remembers the choice', async () => {
    const { page } = await open();
    await page.goto(w.web.url);
    await page.getByRole('heading', { level: 1, name: '发现共享资源' }).waitFor({ timeout: SLOW });
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Discover shared resources' }).waitFor({ timeout: SLOW });
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('link', { name: 'Badminton courts' }).waitFor({ timeout: SLOW });

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Discover shared resources' }).waitFor({ timeout: SLOW });
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '发现共享资源' }).waitFor({ timeout: SLOW });
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  }, 60_000);

  it('saves a screenshot of every page on a phone and on a desktop, each free of WCAG A/AA violations', async () => {
    const court = (await listingTitled('羽毛球场')).id;
    // The resource page is shown with a slot picked, so the booking form is in the picture.
    const pickSlot = async (page: Page) => {
      await freeSlot(page).click();
      await page.getByTestId('booking-price').waitFor({ timeout: SLOW });
      await page.mouse.move(0, 0); // the picked slot as it looks, not under the pointer
      await page.waitForTimeout(400);
    };
    const pages: Array<[name: string, path: string, person: string | null, ready: string, prepare?: (page: Page) => Promise<void>]> = [
      ['sign-in', '/sign-in', null, 'h1'],
      ['discover', '/', '刘德明', '.listing-card'],
      ['resource', `/listings/${court}`, '刘德明', '[data-slot]', pickSlot],
      ['my-bookings', '/bookings', '刘德明', '.booking-card, .ant-empty'],
      ['wallet', '/wallet', '刘德明', '[data-unit="CREDIT"] .ant-statistic'],
      ['community-desk', '/desk', '陈丽华', '.ant-tabs'],
    ];
    const saved: string[] = [];
    const violations: Record<string, Violation[]> = {};
    for (const [width, viewport] of [
      ['375', PHONE],
      ['1280', DESKTOP],
    ] as const) {
      const { page } = await open(viewport);
      let signedInAs: string | null = null;
      for (const [name, path, person, ready, prepare] of pages) {
        if (person && person !== signedInAs) {
          await signIn(page, w.web.url, person);
          signedInAs = person;
        }
        await page.goto(w.url(path));
        await page.locator(ready).first().waitFor({ timeout: SLOW });
        await prepare?.(page);
        await page.waitForLoadState('networkidle').catch(() => undefined);
        saved.push(await screenshot(page, `${name}-${width}`));
        const found = await accessibilityViolations(page);
        if (found.length > 0) violations[`${name}-${width}`] = found;
      }
    }
    expect(saved).toHaveLength(12);
    expect(violations).toEqual({});
  }, 120_000);
});

interface ListingRow {
  id: string;
  title: string;
  priceCreditsPerSlot: number;
}

async function listingTitled(title: string): Promise<ListingRow> {
  const found = await w.e2e.gql<{ listings: { edges: Array<{ node: ListingRow }> } }>(`{ listings(first: 50) { edges { node { id title priceCreditsPerSlot } } } }`);
  const listing = found.data?.listings.edges.map((e) => e.node).find((l) => l.title === title);
  if (!listing) throw new Error(`no listing "${title}": ${JSON.stringify(found.errors)}`);
  return listing;
}

/** Books a seat of A's kindergarten through the gateway: its price is held until A decides. */
async function spendElsewhere(token: string, credits: number): Promise<void> {
  const seats = await listingTitled('新镇幼儿园日托学位');
  expect(seats.priceCreditsPerSlot).toBe(credits);
  const now = Date.now();
  type Slot = { startsAt: string; endsAt: string; availableQuantity: number };
  const slots = await w.e2e.gql<{ listing: { resource: { availability: Slot[] } | null } | null }>(
    `query($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { listing(id: $id) { resource { availability(from: $from, to: $to) { startsAt endsAt availableQuantity } } } }`,
    { id: seats.id, from: new Date(now).toISOString(), to: new Date(now + 14 * 86_400_000).toISOString() },
  );
  // The last free day in two weeks: clear of the seats the other tests take.
  const slot = slots.data?.listing?.resource?.availability.filter((s) => s.availableQuantity > 0).at(-1);
  if (!slot) throw new Error(`no free day-care seat: ${JSON.stringify(slots.errors)}`);
  const booked = await w.e2e.gql<{ bookSharedResource: { status: string } }>(
    `mutation($input: BookSharedResourceInput!) { bookSharedResource(input: $input) { status } }`,
    { input: { listingId: seats.id, startsAt: slot.startsAt, endsAt: slot.endsAt, quantity: 1, idempotencyKey: `e2e-web-spend-${now}` } },
    token,
  );
  expect(booked.data?.bookSharedResource.status).toBe('AWAITING_APPROVAL');
}
