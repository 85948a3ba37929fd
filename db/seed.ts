// Demo content for `npm run demo`: a demo agent and manager, and a handful of
// customer tickets in English, Arabic and Ukrainian filed through the real
// service, some with screenshots and customer replies. Run it again and it adds
// nothing: once the demo agent exists, it only reminds you how to log in.
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { createStaffUser, findStaffByEmail, type Role } from '../server/auth/staff';
import { ConfigError, loadConfig } from '../server/config';
import { parseMoney } from '../server/domain/money';
import type { Language } from '../server/domain/ticket';
import { bootDesk, type Desk } from '../server/runtime';
import { newToken } from '../server/security/tokens';
import type { IntakeInput } from '../server/tickets/form';
import { countOpenTicketsForEmail, findTicketByNumber } from '../server/tickets/queries';
import { stageAttachments } from '../server/tickets/screenshots';
import { privateLink, TicketService } from '../server/tickets/service';
import { encodeImage } from '../server/uploads/images';
import { seedDemoOrders } from './seed-orders';

export const DEMO_STAFF: readonly { email: string; name: string; role: Role }[] = [
  { email: 'agent@demo.refunddesk.local', name: 'Alex Agent', role: 'agent' },
  { email: 'manager@demo.refunddesk.local', name: 'Morgan Manager', role: 'manager' },
];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A fake "order details" panel from the SMM panel, as a customer would screenshot it. */
interface Screenshot {
  name: string;
  title: string;
  accent: string;
  rows: [string, string][];
  status: { text: string; color: string };
}

type DemoTicket = Omit<IntakeInput, 'paymentReference' | 'amountMicros'> & {
  lng: Language;
  /** How long ago the customer filed it, so the queue shows a spread of SLA states. */
  ageMs: number;
  paymentReference?: string;
  amount?: string;
  screenshots?: Screenshot[];
  /** Customer follow-ups: how long after filing, and what they wrote. */
  replies?: { afterMs: number; body: string }[];
};

// Oldest first, so ids, timestamps and the audit trail all run in the same order.
// Replies come before the next ticket is filed. Customers use example.com, which
// never receives mail even when SMTP_URL is set.
const DEMO_TICKETS: DemoTicket[] = [
  {
    lng: 'en',
    ageMs: 52 * HOUR,
    email: 'maya.chen@example.com',
    orderIds: ['4815162', '4815163'],
    link: 'https://www.instagram.com/p/C7xQ2mLr9aB/',
    reason: 'not_started',
    details:
      'I ordered 5,000 likes and 2,000 saves for this post two days ago. Both orders still say "Pending" and the counters have not moved at all. Please cancel them and return the money to my balance.',
    preferredResolution: 'balance',
    screenshots: [
      {
        name: 'order-4815162.png',
        title: 'Order #4815162',
        accent: '#2f6fde',
        rows: [
          ['Service', 'Instagram Likes [Real, HQ]'],
          ['Link', 'instagram.com/p/C7xQ2mLr9aB'],
          ['Quantity', '5000'],
          ['Start count', '0'],
          ['Remains', '5000'],
          ['Charge', '$6.25'],
        ],
        status: { text: 'Pending', color: '#d98e04' },
      },
    ],
    replies: [
      {
        afterMs: 14 * HOUR,
        body: 'Quick update: another 14 hours and still nothing has been delivered on either order. I would like the refund to my balance so I can place the order elsewhere.',
      },
    ],
  },
  {
    lng: 'ar',
    ageMs: 34 * HOUR,
    email: 'layla.haddad@example.com',
    orderIds: ['4822907'],
    link: 'https://www.youtube.com/watch?v=q8Jd2LmX4tA',
    reason: 'partial_delivery',
    details:
      'طلبت 10,000 مشاهدة لهذا الفيديو، لكن الطلب توقف عند 3,200 مشاهدة تقريباً وحالته في اللوحة "جزئي". أرجو إعادة قيمة المشاهدات غير المُسلَّمة إلى رصيدي.',
    preferredResolution: 'balance',
    screenshots: [
      {
        name: 'youtube-views.png',
        title: 'Order #4822907',
        accent: '#c4302b',
        rows: [
          ['Service', 'YouTube Views [Non-drop]'],
          ['Link', 'youtube.com/watch?v=q8Jd2LmX4tA'],
          ['Quantity', '10000'],
          ['Start count', '1482'],
          ['Remains', '6800'],
          ['Charge', '$18.00'],
        ],
        status: { text: 'Partial', color: '#8a5cf6' },
      },
    ],
    replies: [
      {
        afterMs: 3 * HOUR,
        body: 'مرحباً، تحقّقت مرة أخرى الآن: العدد ما زال 3,200 مشاهدة فقط من أصل 10,000. هل يمكنكم تأكيد المبلغ الذي سيُعاد إلى رصيدي؟',
      },
    ],
  },
  {
    lng: 'uk',
    ageMs: 27 * HOUR,
    email: 'oksana.kovalenko@example.com',
    orderIds: ['4801276'],
    link: 'https://t.me/kyiv_coffee_club',
    reason: 'drop',
    details:
      'Замовляла 3000 підписників на телеграм-канал тиждень тому. Усе прийшло, але за останні дні відписалося майже 900. В описі послуги була гарантія 30 днів — прошу зробити докрутку.',
    preferredResolution: 'refill',
    screenshots: [
      {
        name: 'telegram-subscribers.png',
        title: 'Order #4801276',
        accent: '#229ed9',
        rows: [
          ['Service', 'Telegram Members [30 days refill]'],
          ['Link', 't.me/kyiv_coffee_club'],
          ['Quantity', '3000'],
          ['Start count', '412'],
          ['Remains', '0'],
          ['Charge', '$9.60'],
        ],
        status: { text: 'Completed', color: '#1f9d55' },
      },
      {
        name: 'channel-stats.png',
        title: 'Channel statistics',
        accent: '#0f7ab8',
        rows: [
          ['Subscribers 7 days ago', '3412'],
          ['Subscribers today', '2519'],
          ['Left this week', '893'],
          ['Joined this week', '0'],
        ],
        status: { text: '-26%', color: '#c53030' },
      },
    ],
    replies: [
      {
        afterMs: 2 * HOUR,
        body: 'Доброго дня! Перевірила ще раз — за добу відписалося ще близько 150 людей. Скріншоти з панелі та статистики каналу додала до заявки.',
      },
    ],
  },
  {
    lng: 'en',
    ageMs: 20 * HOUR,
    email: 'jordan.okafor@example.com',
    orderIds: ['4790331'],
    link: 'https://www.tiktok.com/@jordan.bakes',
    reason: 'drop',
    details:
      'Bought 10k followers on the lifetime-refill service last month. The account went from 14.2k down to 9.8k over the weekend. Could you refill the order, please?',
    preferredResolution: 'refill',
  },
  {
    lng: 'ar',
    ageMs: 9 * HOUR,
    email: 'omar.alsayed@example.com',
    orderIds: ['4830015'],
    link: 'https://www.instagram.com/omar.designs/',
    reason: 'wrong_link',
    details:
      'أخطأت في الرابط عند الطلب: وضعت رابط الحساب بدلاً من رابط المنشور. الطلب لم يبدأ بعد، أرجو إلغاءه وإعادة المبلغ إلى رصيدي حتى أطلبه من جديد بالرابط الصحيح.',
    preferredResolution: 'balance',
  },
  {
    lng: 'uk',
    ageMs: 5 * HOUR,
    email: 'taras.melnyk@example.com',
    orderIds: [],
    link: null,
    reason: 'billing_error',
    details:
      'Поповнював баланс через USDT (TRC20) на 49.90 $. Транзакція підтверджена в мережі, але баланс у панелі не змінився. Прошу зарахувати кошти або повернути їх на гаманець.',
    preferredResolution: 'original_method',
    paymentReference: 'TRC20 9f3c1a7e52b04d8e6a1f0c3b7d29e84a51c6f0b2d7e3a9c4',
    amount: '49.90',
    screenshots: [
      {
        name: 'usdt-transfer.png',
        title: 'Transfer confirmed',
        accent: '#26a17b',
        rows: [
          ['Network', 'TRON (TRC20)'],
          ['Amount', '49.90 USDT'],
          ['To', 'TQ7m...x9Fk'],
          ['Confirmations', '19/19'],
          ['Date', 'today, 09:41'],
        ],
        status: { text: 'Success', color: '#1f9d55' },
      },
    ],
  },
  {
    lng: 'en',
    ageMs: 3 * HOUR,
    email: 'maya.chen@example.com',
    orderIds: [],
    link: null,
    reason: 'billing_error',
    details:
      'I topped up $25 through PayPal and was charged twice (two identical payments a minute apart). Only one top-up shows on my balance. Please refund the duplicate payment to PayPal.',
    preferredResolution: 'original_method',
    paymentReference: 'PAYPAL-8TX41927KD553201V',
    amount: '25.00',
  },
  {
    lng: 'ar',
    ageMs: 90 * MINUTE,
    email: 'layla.haddad@example.com',
    orderIds: ['4830442', '4830443'],
    link: 'https://t.me/layla_news',
    reason: 'changed_mind',
    details: 'طلبت مشاهدات لآخر منشورين في قناتي على تيليجرام ثم غيّرت رأيي. الطلبان ما زالا قيد الانتظار، أرجو إلغاءهما.',
    preferredResolution: 'balance',
  },
  {
    lng: 'uk',
    ageMs: 25 * MINUTE,
    email: 'oksana.kovalenko@example.com',
    orderIds: ['4833310', '4833311'],
    link: 'https://www.tiktok.com/@oksana.bakery/video/7381924056172839210',
    reason: 'duplicate_order',
    details:
      'Випадково двічі оформила одне й те саме замовлення на 2000 переглядів для відео — сторінка зависла, і я натиснула ще раз. Прошу скасувати друге замовлення (4833311).',
    preferredResolution: 'balance',
    screenshots: [
      {
        name: 'orders-list.png',
        title: 'My orders',
        accent: '#ee1d52',
        rows: [
          ['#4833310', 'TikTok Views, 2000, $0.80'],
          ['#4833311', 'TikTok Views, 2000, $0.80'],
          ['Placed', 'same minute, same link'],
        ],
        status: { text: 'Pending', color: '#d98e04' },
      },
    ],
  },
];

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Renders a fake order-details panel (SVG drawn by sharp) to PNG. */
export async function renderScreenshot(shot: Screenshot): Promise<Buffer> {
  const width = 720;
  const rowHeight = 44;
  const top = 120;
  const height = top + shot.rows.length * rowHeight + 90;
  const font = "font-family=\"DejaVu Sans, Liberation Sans, Arial, sans-serif\"";
  const rows = shot.rows
    .map(([label, value], i) => {
      const y = top + i * rowHeight;
      const stripe = i % 2 === 0 ? '#f6f8fb' : '#ffffff';
      return (
        `<rect x="24" y="${y}" width="${width - 48}" height="${rowHeight}" fill="${stripe}"/>` +
        `<text x="44" y="${y + 28}" ${font} font-size="16" fill="#5b6472">${escapeXml(label)}</text>` +
        `<text x="280" y="${y + 28}" ${font} font-size="16" fill="#1c2330">${escapeXml(value)}</text>`
      );
    })
    .join('');
  const badgeY = top + shot.rows.length * rowHeight + 24;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<rect width="${width}" height="${height}" fill="#e9edf3"/>` +
    `<rect x="12" y="12" width="${width - 24}" height="${height - 24}" rx="10" fill="#ffffff" stroke="#d3d9e2"/>` +
    `<rect x="12" y="12" width="${width - 24}" height="64" rx="10" fill="${shot.accent}"/>` +
    `<rect x="12" y="56" width="${width - 24}" height="20" fill="${shot.accent}"/>` +
    `<circle cx="48" cy="44" r="14" fill="#ffffff" fill-opacity="0.35"/>` +
    `<text x="74" y="51" ${font} font-size="20" font-weight="bold" fill="#ffffff">${escapeXml(shot.title)}</text>` +
    `<text x="${width - 40}" y="51" ${font} font-size="14" fill="#ffffff" text-anchor="end">SMM Panel</text>` +
    `<text x="44" y="104" ${font} font-size="13" fill="#8a93a3" letter-spacing="1">ORDER DETAILS</text>` +
    rows +
    `<rect x="44" y="${badgeY}" width="150" height="36" rx="18" fill="${shot.status.color}"/>` +
    `<text x="119" y="${badgeY + 24}" ${font} font-size="16" font-weight="bold" fill="#ffffff" text-anchor="middle">${escapeXml(shot.status.text)}</text>` +
    `</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export interface SeededTicket {
  number: string;
  language: Language;
  email: string;
  link: string;
  screenshots: number;
  replies: number;
}

export type SeedResult =
  | { created: false; staff: { email: string; role: Role }[] }
  | {
      created: true;
      staff: { email: string; role: Role; password: string }[];
      tickets: SeededTicket[];
      emailsSent: number;
    };

/**
 * Adds the demo content to a booted desk, once. `now` is the moment the demo
 * tickets' ages count back from.
 */
export async function seedDemo(desk: Desk, opts: { publicUrl: string; now?: number }): Promise<SeedResult> {
  const { db, store } = desk;
  const staffList = DEMO_STAFF.map(({ email, role }) => ({ email, role }));
  if (findStaffByEmail(db, DEMO_STAFF[0]!.email)) return { created: false, staff: staffList };

  // The staff are created last, so a run that stopped halfway leaves no marker;
  // rather than file the same orders again, say what happened.
  const leftover = [...new Set(DEMO_TICKETS.map((t) => t.email))].filter((e) => countOpenTicketsForEmail(db, e) > 0);
  if (leftover.length > 0) {
    throw new Error(
      `Demo tickets from an earlier, unfinished seed are already there (${leftover.join(', ')}); ` +
        'start again with an empty DATA_DIR and UPLOAD_DIR.',
    );
  }

  const base = opts.now ?? Date.now();
  seedDemoOrders(desk, base);
  let at = base;
  const service = new TicketService({ db, store, clock: () => at, publicUrl: opts.publicUrl });
  const seeded: SeededTicket[] = [];

  for (const demo of DEMO_TICKETS) {
    at = base - demo.ageMs;
    const stageKey = newToken();
    const shots = demo.screenshots ?? [];
    if (shots.length > 0) {
      const images = [];
      for (const shot of shots) {
        images.push({ image: await encodeImage(await renderScreenshot(shot)), originalName: shot.name });
      }
      await stageAttachments(db, store, images, stageKey, at);
    }
    const input: IntakeInput = {
      email: demo.email,
      orderIds: demo.orderIds,
      link: demo.link,
      reason: demo.reason,
      details: demo.details,
      preferredResolution: demo.preferredResolution,
      paymentReference: demo.paymentReference ?? null,
      amountMicros: demo.amount === undefined ? null : parseMoney(demo.amount),
    };
    const { ticket, token } = service.create(input, demo.lng, stageKey);

    const replies = demo.replies ?? [];
    for (const reply of replies) {
      at = base - demo.ageMs + reply.afterMs;
      // Re-read: each reply bumps the ticket's version and may change its status.
      const current = findTicketByNumber(db, ticket.number);
      if (!current) throw new Error(`demo ticket ${ticket.number} vanished`);
      await service.reply(current, reply.body, []);
    }

    seeded.push({
      number: ticket.number,
      language: demo.lng,
      email: demo.email,
      link: privateLink(opts.publicUrl, ticket.number, token),
      screenshots: shots.length,
      replies: replies.length,
    });
  }

  at = base;
  const staff: { email: string; role: Role; password: string }[] = [];
  for (const s of DEMO_STAFF) {
    const password = newToken(9);
    await createStaffUser(db, { email: s.email, name: s.name, role: s.role, password }, base);
    staff.push({ email: s.email, role: s.role, password });
  }

  // Confirmation emails: sent over SMTP_URL, or written as .eml files under the data folder.
  const emailsSent = await desk.outbox.drain();
  return { created: true, staff, tickets: seeded, emailsSent };
}

async function main() {
  const config = loadConfig();
  if (config.env === 'production') {
    throw new ConfigError('Refusing to add demo content with NODE_ENV=production.');
  }
  const desk = await bootDesk(config);
  try {
    const result = await seedDemo(desk, { publicUrl: config.publicUrl });
    const lines: string[] = [''];
    if (desk.firstAdmin) {
      const { email, generatedPassword } = desk.firstAdmin;
      lines.push(
        generatedPassword
          ? `First admin created: ${email} / ${generatedPassword}  (change it after logging in)`
          : `First admin created: ${email} (password from ADMIN_PASSWORD)`,
      );
    }
    if (!result.created) {
      lines.push('Demo content is already there; nothing added.');
      lines.push(`Log in at ${config.publicUrl}/login as:`);
      for (const s of result.staff) lines.push(`  ${s.role.padEnd(8)} ${s.email}`);
      lines.push('(their passwords were printed when the demo was first seeded)');
    } else {
      const languages = [...new Set(result.tickets.map((t) => t.language))];
      lines.push(`Demo content added: ${result.tickets.length} tickets (${languages.join(', ')}), ${result.emailsSent} emails sent.`);
      lines.push('');
      lines.push(`Log in at ${config.publicUrl}/login as:`);
      for (const s of result.staff) lines.push(`  ${s.role.padEnd(8)} ${s.email} / ${s.password}`);
      lines.push('');
      lines.push('A customer private link per language:');
      for (const lng of languages) {
        const t = result.tickets.find((x) => x.language === lng)!;
        lines.push(`  ${lng}  ${t.number}  ${t.link}`);
      }
      if (!config.smtpUrl) lines.push('', `Confirmation emails were written to ${config.mailDir}`);
    }
    lines.push('');
    console.log(lines.join('\n'));
  } finally {
    await desk.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error(err);
    process.exit(1);
  });
}
