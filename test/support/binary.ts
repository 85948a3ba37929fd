// Reading a supertest answer as the bytes that came over the wire.
import type request from 'supertest';

/**
 * supertest parser that keeps the body as raw bytes (a BOM, line ends, image bytes
 * matter): `agent.get(url).buffer(true).parse(binary)`, then `res.body` is a Buffer.
 */
export function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
