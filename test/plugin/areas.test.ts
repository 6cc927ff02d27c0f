import { expect } from 'chai';
import { AREAS } from '../../plugin/areas';
import { checkAreas, checkTemplates } from '../../plugin/areas/check';
import { action, page, type Area } from '../../plugin/areas/types';
import { loadManifest, type Manifest } from '../../plugin/manifest';
import { DomainBus } from '../../plugin/events/domain';
import { ConfigError } from '../../plugin/errors';
import { bearer, makeWorld, TODAY, type World } from '../helpers/harness';

const manifest = (): Manifest => JSON.parse(JSON.stringify(loadManifest()));

/** What checkAreas refuses, as the list of places it names. */
function problems(m: Manifest, areas: readonly Area[]): string[] {
  try {
    checkAreas(m, areas);
    return [];
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).details.map((d) => `${d.path}: ${d.message}`);
  }
}

const membership = AREAS.find((a) => a.id === 'membership')!;
const withArea = (patch: Partial<Area>): Area[] => AREAS.map((a) => (a === membership ? { ...a, ...patch } : a));

describe('areas: the manifest, the areas and the templates must agree before the module loads', () => {
  it('the shipped manifest and areas agree', () => {
    expect(problems(manifest(), AREAS)).to.deep.equal([]);
  });

  it('a handler the manifest names must exist (sync/events#onHostEvent does not)', () => {
    const m = manifest();
    m.events[0].handler = 'sync/events#onHostEvent';
    expect(problems(m, AREAS)).to.deep.equal(["manifest.events.0.handler: sync/events#onHostEvent names no area's host-event handler"]);
  });

  it('a permission constant the manifest does not declare, and a declared permission no area owns', () => {
    const m = manifest();
    m.permissions = m.permissions.filter((p) => p.id !== 'union.members.export');
    m.roles.forEach((r) => (r.permissions = r.permissions.filter((p) => p !== 'union.members.export')));
    m.permissions.push({ id: 'union.nobody.owns', title: { 'zh-CN': '无', en: 'none' } });
    expect(problems(m, AREAS)).to.include.members([
      'areas.membership.permissions.membersExport: names union.members.export, which manifest.json does not declare',
      `manifest.permissions.${m.permissions.length - 1}: union.nobody.owns belongs to no area`,
    ]);
  });

  it('an endpoint guarded by a permission outside its area, a page without a template, a form without a redirect', () => {
    const broken = withArea({
      endpoints: [
        ...membership.endpoints,
        action({ name: 'x.typo', method: 'get', api: '/api/x', access: 'union.members.exprot', run: async () => null }),
        action({ name: 'x.form', method: 'post', form: '/x', access: 'union.members.read', run: async () => null }),
        page({
          name: 'x.page',
          path: '/x',
          access: 'union.members.read',
          navKey: 'union.members',
          titleKey: 'members.titles.nope',
          view: 'membership/nope',
          load: async () => ({}),
        }),
      ],
    });
    expect(problems(manifest(), broken)).to.have.members([
      "areas.membership.endpoints.x.typo.access: names union.members.exprot, which is not one of the area's permissions",
      'areas.membership.endpoints.x.form.redirect: is required for a form post',
      'areas.membership.endpoints.x.page.view: names membership/nope, which has no template',
      'areas.membership.endpoints.x.page.titleKey: members.titles.nope is missing in zh-CN',
      'areas.membership.endpoints.x.page.titleKey: members.titles.nope is missing in en',
    ]);
  });

  it('a manifest job without a runner, a runner without a job, and a menu that is no page', () => {
    const m = manifest();
    m.jobs.push({ id: 'ghost', cron: '0 1 * * *', timezone: 'Asia/Shanghai', description: { 'zh-CN': '无', en: 'none' } });
    m.menus[0].children!.push({
      key: 'union.ghost',
      path: '/union/ghost',
      permission: 'union.members.read',
      title: { 'zh-CN': '无', en: 'none' },
    });
    const broken = withArea({ jobs: { ...membership.jobs, orphan: async () => null } });
    expect(problems(m, broken)).to.have.members([
      `manifest.jobs.${m.jobs.length - 1}: ghost has no runner among the areas`,
      'areas.membership.jobs.orphan: is not a manifest job',
      `manifest.menus.0.children.${m.menus[0].children!.length - 1}.path: /union/ghost is no area's page`,
    ]);
  });

  it('an i18n namespace that has no file', () => {
    expect(problems(manifest(), withArea({ i18n: [...membership.i18n, 'nothere'] }))).to.deep.equal([
      'areas.membership.i18n: names nothere, which has no file',
    ]);
  });
});

describe('areas: domain events from the membership writer', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.close());
  const admin = () => bearer(w.token('admin', ['admin']));

  it('an in-transaction subscriber that fails undoes the whole change: no membership, history or audit row', async () => {
    const original = w.plugin.ctx.bus;
    w.plugin.ctx.bus = new DomainBus([
      {
        name: 'test.fails',
        on: ['membership.joined'],
        phase: 'inTransaction',
        handle: async () => Promise.reject(new Error('subscriber failed')),
      },
    ]);
    try {
      await w.api
        .post('/hr/api/employees')
        .set(admin())
        .send({ name: '新人', departmentId: 'D01', hireDate: TODAY, gender: 'F', birthDate: '1995-01-01' })
        .expect(201);
    } finally {
      w.plugin.ctx.bus = original;
    }
    expect(await w.db('union_memberships').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    expect(await w.db('union_membership_history').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    expect(await w.db('union_audit').where('action', 'like', 'membership.%').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('in-transaction subscribers see the events with the actor; an after-commit failure is logged and the change stays', async () => {
    const seen: string[] = [];
    const original = w.plugin.ctx.bus;
    w.plugin.ctx.bus = new DomainBus([
      {
        name: 'test.sees',
        on: ['membership.joined'],
        phase: 'inTransaction',
        handle: async (_ctx, events, tx) => void seen.push(...events.map((e) => `${e.type}:${e.employeeId}:${e.source}:${tx!.actor.kind}`)),
      },
      {
        name: 'test.breaks',
        on: ['membership.joined'],
        phase: 'afterCommit',
        handle: async () => Promise.reject(new Error('mail server down')),
      },
    ]);
    try {
      const hired = await w.api
        .post('/hr/api/employees')
        .set(admin())
        .send({ name: '新人', departmentId: 'D01', hireDate: TODAY, gender: 'F', birthDate: '1995-01-01' })
        .expect(201);
      expect(seen).to.deep.equal([`membership.joined:${hired.body.id}:event:event`]);
      expect(await w.db('union_memberships').where({ employee_id: hired.body.id }).first()).to.include({ status: 'active' });
      expect(
        w.logger.entries.some(
          (e) => e.msg === 'union: after-commit subscriber failed' && (e.obj as { subscriber: string }).subscriber === 'test.breaks',
        ),
      ).to.equal(true);
    } finally {
      w.plugin.ctx.bus = original;
    }
  });

  it('a join notice is readable: title and body in zh-CN with the member number, and a link', async () => {
    const hired = await w.api
      .post('/hr/api/employees')
      .set(admin())
      .send({ name: '新人', departmentId: 'D01', hireDate: TODAY, gender: 'F', birthDate: '1995-01-01' })
      .expect(201);
    const sent = w.notify.getCalls().find((c) => c.args[0].template === 'union.member.joined')!.args[0];
    expect(sent).to.include({ title: '欢迎加入工会', link: '/union/' });
    expect(sent.to).to.deep.equal([hired.body.id]);
    expect(sent.body).to.equal('您已成为工会会员，会员编号 GH20260001。在“我的会籍”可查看会籍信息。');
  });
});

describe('areas: templates use only strings and capabilities that exist', () => {
  it('names the template, the missing key and the language, and an unknown capability', () => {
    const found: Array<{ path: string; message: string }> = [];
    const sources = new Map([
      [
        'pages/membership/x',
        `{{t 'members.titles.ledger'}} {{t "members.nope"}} {{#if can.membersExport}}{{/if}} {{#if can.union_members_export}}{{/if}}`,
      ],
    ]);
    checkTemplates(new Map([['membersExport', 'union.members.export']]), found, sources);
    expect(found.map((p) => `${p.path}: ${p.message}`)).to.have.members([
      'views.pages/membership/x: uses members.nope, which is missing in zh-CN',
      'views.pages/membership/x: uses members.nope, which is missing in en',
      'views.pages/membership/x: uses can.union_members_export, which is no permission constant',
    ]);
  });
});
