// The panel's side of the demo: services and the orders the demo tickets are
// about, pushed through the same upsert as the panel API.
import type { Desk } from '../server/runtime';
import { upsertOrders, upsertServices } from '../server/orders/store';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const SERVICES = [
  { id: '101', name: 'Instagram Likes [Real, HQ]', providerId: 'smmking', refillDays: 0, cancelAllowed: true },
  { id: '102', name: 'Instagram Saves', providerId: 'smmking', refillDays: 0, cancelAllowed: true },
  { id: '103', name: 'Instagram Followers [30 days refill]', providerId: 'smmking', refillDays: 30, cancelAllowed: true },
  { id: '201', name: 'YouTube Views [Non-drop]', providerId: 'viewsup', refillDays: 0, cancelAllowed: false },
  { id: '301', name: 'Telegram Members [30 days refill]', providerId: 'tgboost', refillDays: 30, cancelAllowed: false },
  { id: '302', name: 'Telegram Post Views', providerId: 'tgboost', refillDays: 0, cancelAllowed: true },
  { id: '401', name: 'TikTok Followers [Lifetime refill]', providerId: 'viewsup', refillDays: 365, cancelAllowed: false },
  { id: '402', name: 'TikTok Views', providerId: 'viewsup', refillDays: 0, cancelAllowed: true },
];

type Spec = [id: string, email: string, service: string, link: string, qty: number, charge: string, status: string, ageMs: number, extra?: Record<string, unknown>];

const ORDERS: Spec[] = [
  ['4815162', 'maya.chen@example.com', '101', 'https://www.instagram.com/p/C7xQ2mLr9aB/', 5000, '6.25', 'Pending', 54 * HOUR, { startCount: 0, remains: 5000 }],
  ['4815163', 'maya.chen@example.com', '102', 'https://www.instagram.com/p/C7xQ2mLr9aB/', 2000, '1.10', 'Pending', 54 * HOUR, { remains: 2000 }],
  ['4822907', 'layla.haddad@example.com', '201', 'https://www.youtube.com/watch?v=q8Jd2LmX4tA', 10000, '18.00', 'Partial', 4 * DAY, { startCount: 1482, remains: 6800, completedAgoMs: 36 * HOUR }],
  ['4801276', 'oksana.kovalenko@example.com', '301', 'https://t.me/kyiv_coffee_club', 3000, '9.60', 'Completed', 8 * DAY, { startCount: 412, remains: 0, completedAgoMs: 7 * DAY }],
  ['4790331', 'jordan.okafor@example.com', '401', 'https://www.tiktok.com/@jordan.bakes', 10000, '29.00', 'Completed', 36 * DAY, { startCount: 4200, remains: 0, completedAgoMs: 33 * DAY }],
  ['4830015', 'omar.alsayed@example.com', '103', 'https://www.instagram.com/omar.designs/', 1000, '2.40', 'Pending', 10 * HOUR, { remains: 1000 }],
  ['4830442', 'layla.haddad@example.com', '302', 'https://t.me/layla_news/311', 5000, '0.45', 'Pending', 2 * HOUR, { remains: 5000 }],
  ['4830443', 'layla.haddad@example.com', '302', 'https://t.me/layla_news/312', 5000, '0.45', 'Pending', 2 * HOUR, { remains: 5000 }],
  ['4833310', 'oksana.kovalenko@example.com', '402', 'https://www.tiktok.com/@oksana.bakery/video/7381924056172839210', 2000, '0.80', 'Pending', 30 * 60_000, { remains: 2000 }],
  ['4833311', 'oksana.kovalenko@example.com', '402', 'https://www.tiktok.com/@oksana.bakery/video/7381924056172839210', 2000, '0.80', 'Pending', 29 * 60_000, { remains: 2000 }],
];

export function seedDemoOrders(desk: Desk, now: number): void {
  const services = upsertServices(desk.db, SERVICES, { now });
  const orders = upsertOrders(
    desk.db,
    ORDERS.map(([id, customerEmail, serviceId, link, quantity, charge, status, ageMs, extra = {}]) => {
      const { completedAgoMs, ...rest } = extra as { completedAgoMs?: number };
      const providerId = SERVICES.find((s) => s.id === serviceId)!.providerId;
      return {
        id,
        customerEmail,
        serviceId,
        providerId,
        providerOrderId: `${providerId.slice(0, 2).toUpperCase()}-${Number(id) * 7}`,
        link,
        quantity,
        charge,
        currency: 'USD',
        status,
        createdAt: new Date(now - ageMs).toISOString(),
        completedAt: completedAgoMs === undefined ? undefined : new Date(now - completedAgoMs).toISOString(),
        ...rest,
      };
    }),
    { now, currency: 'USD' },
  );
  const errors = [...services.errors, ...orders.errors];
  if (errors.length > 0) throw new Error(`demo orders rejected: ${JSON.stringify(errors)}`);
}
