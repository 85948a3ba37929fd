import { expect } from 'chai';
import { parseCanned } from '../../../server/settings/canned-form';
import { generalChanges, parseGeneral } from '../../../server/settings/general-form';
import { parseProvider } from '../../../server/settings/provider-form';
import { parseStaff } from '../../../server/settings/staff-form';
import { parseToken } from '../../../server/settings/token-form';
import { parseWebhook } from '../../../server/settings/webhook-form';

type Parsed = { ok: true } | { ok: false; errors: Record<string, { key: string }> };
const errorKeys = (p: Parsed) => (p.ok ? {} : Object.fromEntries(Object.entries(p.errors).map(([k, v]) => [k, v.key.replace('settings:errors.', '')])));

describe('settings: the section forms', () => {
  describe('service targets and limits', () => {
    const good = { firstResponseHours: '2', cancellationHours: '24', investigationHours: '48', maxOpenTicketsPerEmail: '3', currency: 'usd' };
    it('When the form is valid, then the SLA targets, cap and currency come back as numbers and an upper-case code', () => {
      expect(parseGeneral(good)).to.deep.equal({
        ok: true,
        settings: { sla: { firstResponseHours: 2, cancellationHours: 24, investigationHours: 48 }, maxOpenTicketsPerEmail: 3, currency: 'USD' },
      });
    });
    it('When values are out of range, then each field says so', () => {
      expect(errorKeys(parseGeneral({ ...good, firstResponseHours: '0', maxOpenTicketsPerEmail: '51', currency: 'US' }))).to.deep.equal({
        firstResponseHours: 'range',
        maxOpenTicketsPerEmail: 'range',
        currency: 'currency',
      });
    });
    it('When two settings are compared, then the changed ones are named with their path', () => {
      const before = { sla: { firstResponseHours: 2, cancellationHours: 24, investigationHours: 48 }, maxOpenTicketsPerEmail: 3, currency: 'USD' };
      expect(generalChanges(before, { ...before, sla: { ...before.sla, investigationHours: 72 }, currency: 'EUR' })).to.deep.equal(['sla.investigationHours', 'currency']);
    });
  });

  describe('canned responses', () => {
    const good = { key: 'holdOn', language: 'uk', title: 'Зачекайте', body: 'Замовлення {{orderId}}: {{amount}}. {{link}}' };
    it('When the form is valid, then it is accepted with its placeholders', () => {
      expect(parseCanned(good)).to.deep.equal({ ok: true, input: good });
    });
    it('When the key, language or a placeholder is wrong, then each field says so', () => {
      expect(errorKeys(parseCanned({ key: '1st key', language: 'fr', title: '', body: 'Hi {{ customer }}' }))).to.deep.equal({
        key: 'cannedKey',
        language: 'choice',
        title: 'required',
        body: 'placeholder',
      });
    });
  });

  describe('staff accounts', () => {
    const good = { email: 'A@desk.test', name: 'Alya', role: 'agent', language: 'ar', password: 'ten-chars!' };
    it('When the form is valid, then the email is lower-cased', () => {
      expect(parseStaff(good)).to.deep.equal({ ok: true, input: { ...good, email: 'a@desk.test' } });
    });
    it('When the role is unknown and the password short, then both say so', () => {
      expect(errorKeys(parseStaff({ ...good, role: 'owner', password: 'nine-char' }))).to.deep.equal({ role: 'choice', password: 'tooShort' });
    });
  });

  describe('providers', () => {
    it('When the key is left empty, then it is null (keep the stored key); a URL may be empty too', () => {
      expect(parseProvider({ id: 'smm.king-1', name: 'SMM King', apiUrl: '', apiKey: ' ' })).to.deep.equal({
        ok: true,
        input: { id: 'smm.king-1', name: 'SMM King', apiUrl: null, apiKey: null },
      });
    });
    it('When the id has spaces and the URL is not http(s), then both say so', () => {
      expect(errorKeys(parseProvider({ id: 'smm king', name: 'X', apiUrl: 'ftp://x.example', apiKey: '' }))).to.deep.equal({ id: 'providerId', apiUrl: 'url' });
    });
  });

  describe('API tokens', () => {
    it('When scopes are chosen, then they come back in the canonical order', () => {
      expect(parseToken({ name: 'panel', scopes: ['tickets:read', 'orders:write'] })).to.deep.equal({ ok: true, input: { name: 'panel', scopes: ['orders:write', 'tickets:read'] } });
    });
    it('When no scope or an unknown one is chosen, then the scopes field says so', () => {
      expect(errorKeys(parseToken({ name: 'panel', scopes: [] }))).to.deep.equal({ scopes: 'scopes' });
      expect(errorKeys(parseToken({ name: '', scopes: ['admin:all'] }))).to.deep.equal({ name: 'required', scopes: 'scopes' });
    });
  });

  describe('webhook', () => {
    const url = 'https://panel.example/hook';
    const rows: [string, Parameters<typeof parseWebhook>, Record<string, string>][] = [
      ['a URL and a new secret', [{ url, secret: 'sixteen-chars-ok', generate: false }, false], {}],
      ['a URL with the stored secret kept', [{ url, secret: '', generate: false }, true], {}],
      ['a URL asking for a generated secret', [{ url, secret: '', generate: true }, false], {}],
      ['no URL at all (webhooks off)', [{ url: '', secret: '', generate: false }, false], {}],
      ['a URL and no secret anywhere', [{ url, secret: '', generate: false }, false], { secret: 'secretRequired' }],
      ['a short secret', [{ url, secret: 'short', generate: false }, true], { secret: 'secretShort' }],
      ['a secret and generate both', [{ url, secret: 'sixteen-chars-ok', generate: true }, true], { secret: 'secretOrGenerate' }],
      ['a URL that is not http(s)', [{ url: 'file:///etc/passwd', secret: '', generate: false }, true], { url: 'url' }],
    ];
    for (const [name, args, errors] of rows) {
      it(`When the form has ${name}, then ${Object.keys(errors).length === 0 ? 'it is accepted' : 'the field says so'}`, () => {
        expect(errorKeys(parseWebhook(...args))).to.deep.equal(errors);
      });
    }
  });
});
