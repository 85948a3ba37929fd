import { expect } from 'chai';
import type request from 'supertest';
import { ensureCannedResponses } from '../../server/desk/canned';
import { LANGUAGES } from '../../server/domain/ticket';
import { getI18n } from '../../server/i18n/index';
import type { Desk } from '../../server/runtime';
import { csrfFrom, rebootDesk, startTestDesk, type TestDesk } from '../support/desk';
import { loginAs } from '../support/staff';

describe('canned responses: the shipped set is copied in at the first start only', () => {
  let desk: TestDesk;
  let second: Desk | undefined;
  let manager: request.Agent;
  before(async () => {
    desk = await startTestDesk();
    manager = await loginAs(desk, 'manny@desk.test', 'manager');
  });
  after(async () => {
    await second?.close();
    await desk.cleanup();
  });

  const rows = (db: Desk['db']) =>
    db.$client.prepare('select id, key, language, title, body from canned_responses order by id').all() as {
      id: number;
      key: string;
      language: string;
      title: string;
      body: string;
    }[];

  async function post(url: string, fields: Record<string, string>) {
    const csrf = await csrfFrom(manager, '/desk');
    return manager.post(url).type('form').send({ _csrf: csrf, ...fields });
  }

  it('When the desk first starts, then every shipped response of every language is in the table', () => {
    const shipped = LANGUAGES.flatMap((language) =>
      Object.keys((getI18n().getResource(language, 'canned', 'responses') ?? {}) as Record<string, unknown>).map((key) => `${language}:${key}`),
    );
    expect(shipped.length).to.be.greaterThan(LANGUAGES.length);
    expect(rows(desk.db).map((r) => `${r.language}:${r.key}`).sort()).to.deep.equal(shipped.sort());
    // Already filled: nothing to add.
    expect(ensureCannedResponses(desk.db, Date.now())).to.equal(0);
  });

  it('When a manager deletes one and renames another, then the desk started again on the same data keeps both changes', async () => {
    const before = rows(desk.db);
    const [gone, renamed] = before.filter((r) => r.language === 'en');
    expect((await post(`/desk/settings/canned/${gone!.id}/delete`, {})).status).to.equal(303);
    const edit = { key: 'our-own-wording', language: 'en', title: 'Our own title', body: 'Our own body.' };
    expect((await post(`/desk/settings/canned/${renamed!.id}`, edit)).status).to.equal(303);
    const changed = rows(desk.db);
    expect(changed).to.have.length(before.length - 1);
    await desk.close();

    second = await rebootDesk(desk);
    const after = rows(second.db);
    expect(after).to.deep.equal(changed);
    expect(after.find((r) => r.key === gone!.key && r.language === 'en'), 'the deleted one').to.equal(undefined);
    expect(after.find((r) => r.key === renamed!.key && r.language === 'en'), 'the old name of the renamed one').to.equal(undefined);
    expect(after.find((r) => r.id === renamed!.id)).to.deep.include(edit);
  });
});
