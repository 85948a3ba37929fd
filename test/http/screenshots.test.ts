import path from 'node:path';
import { expect } from 'chai';
import sharp from 'sharp';
import { confirmationOf, filesIn, postTicket, startTestDesk, type TestDesk } from '../support/desk';
import { htmlPretendingToBePng, jpegWithExif, png, svg } from '../support/images';

describe('intake: screenshots', () => {
  let desk: TestDesk;
  before(async () => {
    desk = await startTestDesk();
  });
  after(() => desk.cleanup());

  const uploads = () => path.join(desk.dir, 'uploads');
  const sql = (q: string, ...args: unknown[]) => desk.db.$client.prepare(q).all(...args) as Record<string, unknown>[];
  let order = 900_000;
  const orderIds = () => String(order++);
  const email = () => `shots${order}@example.com`;

  /** Asserts that a request changed nothing on disk nor in the attachments table. */
  async function expectNothingKept(run: () => Promise<unknown>) {
    const files = filesIn(uploads()).sort();
    const rows = sql('select count(*) n from attachments')[0]!.n;
    await run();
    expect(filesIn(uploads()).sort()).to.deep.equal(files);
    expect(sql('select count(*) n from attachments')[0]!.n).to.equal(rows);
  }

  it('When a PNG and a JPEG with EXIF are attached, then both are stored re-encoded without metadata, with thumbnails made on first view', async () => {
    const res = await postTicket(desk.agent(), { orderIds: orderIds(), email: email() }, [
      { name: 'order.png', data: await png(120, 80) },
      { name: '../../etc/photo.JPG', data: await jpegWithExif() },
    ]);
    const { number } = confirmationOf(res);
    const rows = sql('select a.* from attachments a join tickets t on t.id = a.ticket_id where t.number = ? order by a.id', number);
    expect(rows.map((r) => [r.mime, r.original_name, r.stage_key_hash])).to.deep.equal([
      ['image/png', 'order.png', null],
      ['image/jpeg', 'photo.jpg', null],
    ]);
    const jpeg = await sharp(path.join(uploads(), rows[1]!.storage_name as string)).metadata();
    expect(jpeg.exif).to.equal(undefined);
    // Auto-oriented: EXIF orientation 6 turned the 64×48 picture upright.
    expect([jpeg.width, jpeg.height]).to.deep.equal([48, 64]);
    expect(rows[0]!.storage_name).to.match(/^[\w-]{24}\.png$/);
    expect(filesIn(uploads())).to.include.members(rows.map((r) => r.storage_name));
    // Thumbnails are made on first view, off the upload's request path.
    expect(filesIn(uploads())).not.to.include(rows[0]!.thumb_name);
    const { token } = confirmationOf(res);
    const thumb = await desk.agent().get(`/t/${number}/files/${rows[0]!.id}?k=${token}&size=thumb`);
    expect(thumb.status).to.equal(200);
    expect((await sharp(thumb.body as Buffer).metadata()).format).to.equal('webp');
    expect(filesIn(uploads())).to.include(rows[0]!.thumb_name);
  });

  it('When a file named .png holds HTML, then the submit is refused and no file or row is left', async () => {
    await expectNothingKept(async () => {
      const res = await postTicket(desk.agent(), { orderIds: orderIds(), email: email() }, [
        { name: 'good.png', data: await png() },
        { name: 'evil.png', data: htmlPretendingToBePng },
      ]);
      expect(res.status).to.equal(422);
      expect(res.text).to.match(/id="screenshots-error">(?:(?!<\/p>).)*evil\.png(?:(?!<\/p>).)*is not a PNG, JPEG, WebP or GIF/);
    });
  });

  it('When an SVG is attached, then it is refused as not an image we accept', async () => {
    await expectNothingKept(async () => {
      const res = await postTicket(desk.agent(), { orderIds: orderIds(), email: email() }, [{ name: 'chart.svg', data: svg }]);
      expect(res.status).to.equal(422);
      expect(res.text).to.include('id="screenshots-error"');
    });
  });

  it('When six files are attached, then the submit is refused and nothing is kept', async () => {
    const six = await Promise.all(Array.from({ length: 6 }, (_, i) => png(10 + i, 10)));
    await expectNothingKept(async () => {
      const res = await postTicket(desk.agent(), { orderIds: orderIds(), email: email() }, six.map((data, i) => ({ name: `s${i}.png`, data })));
      expect(res.status).to.equal(422);
      expect(res.text).to.match(/id="screenshots-error">[^<]*at most 5 screenshots/);
    });
  });

  it('When a file is over 8 MB, then the form comes back with 413, the input kept and nothing stored', async () => {
    const big = Buffer.concat([await png(), Buffer.alloc(8 * 1024 * 1024 + 1)]);
    await expectNothingKept(async () => {
      const res = await postTicket(desk.agent(), { orderIds: '424242', email: 'big@example.com' }, [{ name: 'big.png', data: big }]);
      expect(res.status).to.equal(413);
      expect(res.text).to.include('at most <bdi>8</bdi> MB');
      expect(res.text).to.include('value="big@example.com"').and.include('>424242</textarea>');
    });
  });

  it('When an image has more than 40 megapixels, then it is refused', async () => {
    const huge = await sharp({ create: { width: 8000, height: 5001, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer();
    await expectNothingKept(async () => {
      const res = await postTicket(desk.agent(), { orderIds: orderIds(), email: email() }, [{ name: 'huge.png', data: huge }]);
      expect(res.status).to.equal(422);
      expect(res.text).to.include('40 megapixels');
    });
  });

  it('When the form has an error but the screenshot is fine, then the screenshot stays attached and comes with the ticket', async () => {
    const agent = desk.agent();
    const first = await postTicket(agent, { orderIds: orderIds(), email: 'broken' }, [{ name: 'kept.png', data: await png(50, 50) }]);
    expect(first.status).to.equal(422);
    const stageKey = /name="stageKey" value="([\w-]+)"/.exec(first.text)![1]!;
    const staged = sql('select * from attachments where ticket_id is null and stage_key_hash is not null and original_name = ?', 'kept.png');
    expect(staged).to.have.length(1);
    expect(first.text).to.include(`/tickets/staged/${staged[0]!.id}?s=${stageKey}`);
    const thumb = await agent.get(`/tickets/staged/${staged[0]!.id}?s=${stageKey}`);
    expect(thumb.status).to.equal(200);
    expect((await desk.agent().get(`/tickets/staged/${staged[0]!.id}?s=wrong-key-wrong-key-wrong-key-wrong`)).status).to.equal(404);

    const { number } = confirmationOf(await postTicket(agent, { orderIds: orderIds(), email: email(), stageKey }));
    const [row] = sql('select a.original_name, a.stage_key_hash, a.expires_at from attachments a join tickets t on t.id = a.ticket_id where t.number = ?', number);
    expect(row).to.deep.equal({ original_name: 'kept.png', stage_key_hash: null, expires_at: null });
  });

  it('When a staged screenshot is removed on resubmit, then its row and files are gone', async () => {
    const agent = desk.agent();
    const first = await postTicket(agent, { orderIds: orderIds(), email: 'broken' }, [{ name: 'drop-me.png', data: await png() }]);
    const stageKey = /name="stageKey" value="([\w-]+)"/.exec(first.text)![1]!;
    const [staged] = sql('select * from attachments where original_name = ?', 'drop-me.png');
    const res = await postTicket(agent, { orderIds: orderIds(), email: email(), stageKey, removeScreenshots: String(staged!.id) });
    const { number } = confirmationOf(res);
    expect(sql('select * from attachments where id = ?', staged!.id)).to.deep.equal([]);
    expect(filesIn(uploads())).to.not.include(staged!.storage_name);
    expect(sql('select count(*) n from attachments a join tickets t on t.id = a.ticket_id where t.number = ?', number)[0]!.n).to.equal(0);
  });

  it('When a staged screenshot is older than 24 hours, then housekeeping deletes its row and files', async () => {
    const res = await postTicket(desk.agent(), { orderIds: orderIds(), email: 'broken' }, [{ name: 'old.png', data: await png() }]);
    expect(res.status).to.equal(422);
    const [staged] = sql('select * from attachments where original_name = ?', 'old.png');
    expect(filesIn(uploads())).to.include(staged!.storage_name);
    desk.db.$client.prepare('update attachments set expires_at = ? where id = ?').run(Date.now() - 1, staged!.id);
    await desk.housekeeping();
    expect(sql('select * from attachments where id = ?', staged!.id)).to.deep.equal([]);
    expect(filesIn(uploads())).to.not.include(staged!.storage_name).and.not.include(staged!.thumb_name);
  });

  it('When a screenshot is served, then only with the ticket token, with its real type and nosniff', async () => {
    const { number, token } = confirmationOf(
      await postTicket(desk.agent(), { orderIds: orderIds(), email: email() }, [{ name: 'a.png', data: await png() }]),
    );
    const [file] = sql('select a.id from attachments a join tickets t on t.id = a.ticket_id where t.number = ?', number);
    const ok = await desk.agent().get(`/t/${number}/files/${file!.id}?k=${token}`);
    expect(ok.status).to.equal(200);
    expect(ok.headers['content-type']).to.equal('image/png');
    expect(ok.headers['x-content-type-options']).to.equal('nosniff');
    const thumb = await desk.agent().get(`/t/${number}/files/${file!.id}?k=${token}&size=thumb`);
    expect(thumb.headers['content-type']).to.equal('image/webp');
    expect((await desk.agent().get(`/t/${number}/files/${file!.id}?k=wrong`)).status).to.equal(404);
    expect((await desk.agent().get(`/t/${number}/files/${file!.id}`)).status).to.equal(404);
    const staffOnly = await desk.agent().get(`/desk/tickets/${number}/files/${file!.id}`);
    expect(staffOnly.status).to.equal(303);
    expect(staffOnly.headers.location).to.match(/^\/login/);
  });
});
