import crypto from 'node:crypto';
import { expect } from 'chai';
import { signature, signatureHeader, verifySignature } from '../../../server/webhooks/signature';

describe('webhook signatures', () => {
  const secret = 'whsec_unit-test-secret';
  const body = '{"id":"5b1c","event":"decision.issued","createdAt":"2026-12-01T10:00:00.000Z","data":{"ticket":"RD-2345-6789"}}';
  const t = 1_796_119_200;
  const nowMs = t * 1000;

  it('When a body is signed, then the signature is the hex HMAC-SHA256 of "<t>.<body>" any receiver can compute', () => {
    const expected = crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signature(secret, t, body)).to.equal(expected).and.match(/^[0-9a-f]{64}$/);
    expect(signature(secret, t, Buffer.from(body))).to.equal(expected);
    expect(signatureHeader(secret, t, body)).to.equal(`t=${t},v1=${expected}`);
  });

  it('When the header, body, secret and time agree, then it verifies', () => {
    expect(verifySignature(secret, signatureHeader(secret, t, body), body, nowMs)).to.equal(true);
    expect(verifySignature(secret, signatureHeader(secret, t, body), Buffer.from(body), nowMs)).to.equal(true);
  });

  const cases: [string, string | null | undefined, string, string, number][] = [
    ['the body was changed', signatureHeader(secret, t, body), body.replace('RD-2345', 'RD-2345 '), secret, nowMs],
    ['the secret is another', signatureHeader('whsec_other', t, body), body, secret, nowMs],
    ['the timestamp was changed', signatureHeader(secret, t, body).replace(`t=${t}`, `t=${t + 1}`), body, secret, nowMs + 1000],
    ['it is older than the tolerance', signatureHeader(secret, t, body), body, secret, nowMs + 301_000],
    ['it is dated too far in the future', signatureHeader(secret, t, body), body, secret, nowMs - 301_000],
    ['the header is missing', undefined, body, secret, nowMs],
    ['the header is empty', '', body, secret, nowMs],
    ['the header has no timestamp', `v1=${signature(secret, t, body)}`, body, secret, nowMs],
    ['the header has no v1', `t=${t}`, body, secret, nowMs],
    ['the timestamp is not a number', `t=soon,v1=${signature(secret, t, body)}`, body, secret, nowMs],
    ['the v1 value is not hex of the right length', `t=${t},v1=${signature(secret, t, body).slice(2)}`, body, secret, nowMs],
    ['the parts are garbled', `t=${t}=1,v1=${signature(secret, t, body)}`, body, secret, nowMs],
    ['the header is a bare signature', signature(secret, t, body), body, secret, nowMs],
  ];
  for (const [when, header, payload, key, now] of cases) {
    it(`When ${when}, then it does not verify`, () => {
      expect(verifySignature(key, header, payload, now)).to.equal(false);
    });
  }

  it('When the tolerance is widened or narrowed, then the age limit follows it', () => {
    const header = signatureHeader(secret, t, body);
    expect(verifySignature(secret, header, body, nowMs + 300_000)).to.equal(true);
    expect(verifySignature(secret, header, body, nowMs + 600_000, 600)).to.equal(true);
    expect(verifySignature(secret, header, body, nowMs + 11_000, 10)).to.equal(false);
  });

  it('When the header carries signatures under an old and a new secret, then either secret verifies', () => {
    const header = `t=${t},v1=${signature('whsec_old', t, body)},v1=${signature(secret, t, body)}`;
    expect(verifySignature(secret, header, body, nowMs)).to.equal(true);
    expect(verifySignature('whsec_old', header, body, nowMs)).to.equal(true);
    expect(verifySignature('whsec_third', header, body, nowMs)).to.equal(false);
  });
});
