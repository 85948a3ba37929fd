import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../server/config';

describe('config', () => {
  it('When nothing is set, then the desk runs on port 3000 with ./data and no SMTP', () => {
    const c = loadConfig({});
    expect(c).to.include({ port: 3000, publicUrl: 'http://localhost:3000', smtpUrl: undefined, cookieSecure: false });
    expect(c.databaseFile).to.equal(path.resolve('data', 'refunddesk.sqlite'));
    expect(Object.isFrozen(c)).to.equal(true);
  });

  it('When PUBLIC_URL is https, then cookies are Secure unless COOKIE_SECURE says otherwise', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://help.example.com/' }).cookieSecure).to.equal(true);
    expect(loadConfig({ PUBLIC_URL: 'https://help.example.com', COOKIE_SECURE: 'false' }).cookieSecure).to.equal(false);
    expect(loadConfig({ PUBLIC_URL: 'https://help.example.com', COOKIE_SECURE: '' }).cookieSecure).to.equal(true);
    expect(loadConfig({ PUBLIC_URL: 'https://help.example.com/' }).publicUrl).to.equal('https://help.example.com');
  });

  it('When settings are invalid, then every problem is named at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', SMTP_URL: 'not a url', SECRET: 'short' }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.includes('PORT')
      .and.includes('SMTP_URL')
      .and.includes('SECRET');
  });
});
