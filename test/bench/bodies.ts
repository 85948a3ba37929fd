// Request bodies for the intake benchmarks: a phone-sized screenshot with some
// real structure (so it compresses like one), and the multipart form around it.
import sharp from 'sharp';

/** A 1170 × 2532 PNG that looks like an app screen: bars, rows and text. */
export async function phoneScreenshot(): Promise<Buffer> {
  const rows = Array.from({ length: 24 }, (_, i) => {
    const y = 260 + i * 92;
    return `<rect x="40" y="${y}" width="1090" height="80" rx="12" fill="${i % 2 ? '#f3f5f9' : '#ffffff'}"/>` +
      `<text x="70" y="${y + 50}" font-family="DejaVu Sans" font-size="34" fill="#1d2330">Order #${4815162 + i} · ${1000 + i * 37} followers</text>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1170" height="2532"><rect width="1170" height="2532" fill="#e9edf3"/>` +
    `<rect width="1170" height="220" fill="#2f6fde"/><text x="60" y="140" font-family="DejaVu Sans" font-size="64" fill="#fff">SMM Panel · Orders</text>${rows}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export function multipartTicket(boundary: string, csrf: string, fields: Record<string, string>, files: Buffer[]): Buffer {
  const all: Record<string, string> = {
    _csrf: csrf,
    link: 'https://instagram.com/p/bench',
    reason: 'not_started',
    details: 'Bench ticket with two screenshots.',
    preferredResolution: 'balance',
    ...fields,
  };
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(all)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  files.forEach((file, i) => {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="screenshots"; filename="screen-${i + 1}.png"\r\nContent-Type: image/png\r\n\r\n`));
    parts.push(file, Buffer.from('\r\n'));
  });
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}
