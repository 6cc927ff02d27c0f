import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { dryRunPayments } from '../../plugin/services/care/payment-import';
import { createPlan, recordPayments } from '../../plugin/services/care/welfare';
import { browserSuite, DESKTOP, expectNoHorizontalOverflow, newContext, PHONE, signInAs, watchProblems } from '../helpers/browser';

/** The care area's staff pages in a real browser, on a phone and on a desk: cards, no sideways scroll, no raw ids. */
describe('browser: care staff pages at 375 px and 1280 px', function () {
  this.timeout(180_000);
  let planId = 0;
  let importId = 0;
  let ids: string[] = [];
  const suite = browserSuite({ employees: 30 }, async (live) => {
    const ctx = live.world.plugin.ctx;
    const db = live.world.db;
    const staff = { id: 'u_staff', kind: 'user' as const };
    ids = (await db('host_employees').where({ status: 'employed' }).where('id', 'like', 'E%').orderBy('id').select('id')).map(
      (r: { id: string }) => r.id,
    );
    await db('union_membership_history').delete();
    await db('union_memberships').delete();
    await db('union_memberships').insert(
      ids.map((employee_id) => ({
        employee_id,
        status: 'active',
        joined_at: '2025-01-01',
        created_at: '2026-01-01 00:00:00.000',
        updated_at: '2026-01-01 00:00:00.000',
      })),
    );
    planId = (
      await createPlan(ctx, staff, { name: '交通补贴', amount: 100, cycle: 'monthly', startsOn: '2026-01-01', audience: 'all_members' })
    ).id;
    await recordPayments(ctx, staff, { planId, period: '2026-10', employeeIds: ids.slice(2, 20) });
    await recordPayments(ctx, staff, { planId, period: '2026-10', employeeIds: [ids[3], 'u_staff'] });
    const people = await db('host_employees').whereIn('id', ids.slice(20, 23)).orderBy('id').select('employee_no', 'name');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('发放表');
    ws.addRow(['工号', '姓名', '部门', '金额']);
    for (const p of people) ws.addRow([p.employee_no, p.name, '', 100]);
    ws.addRow(['ZZ0001', '查无此人', '不存在车间', 100]);
    const file = { buffer: Buffer.from(await wb.xlsx.writeBuffer()), filename: '十月发放表.xlsx' };
    importId = (await dryRunPayments(ctx, staff, { planId, period: '2026-10', file })).id;
  });

  const pages = () => [
    ['groups', '/union/care/groups'],
    ['group-female', '/union/care/groups/female'],
    ['welfare-gaps', `/union/welfare?planId=${planId}&period=2026-10`],
    ['pay', `/union/welfare/pay?planId=${planId}&period=2026-10`],
    ['import', `/union/welfare/imports/${importId}`],
  ];

  for (const [label, size, width] of [
    ['phone', PHONE, 375],
    ['desktop', DESKTOP, 1280],
  ] as const) {
    it(`staff see every care page at ${width} px without sideways scrolling or raw ids`, async () => {
      const { baseUrl } = suite.live;
      const shots = suite.shots(`care-staff-${label}`);
      const context = await newContext(suite.browser, size);
      const page = await context.newPage();
      const problems = watchProblems(page);
      await signInAs(page, baseUrl, 'u_staff', '/union/');
      for (const [name, path] of pages()) {
        await page.goto(`${baseUrl}${path}`);
        expect(new URL(page.url()).pathname, name).to.equal(path.split('?')[0]);
        await expectNoHorizontalOverflow(page, width);
        const text = await page.locator('main.union-main').innerText();
        // Employee ids are keys, not something a person reads: names (and employee numbers) are shown instead.
        for (const id of ids.slice(0, 3)) expect(text, `${name} shows the raw id ${id}`).to.not.match(new RegExp(`\\b${id}\\b`));
        await shots.take(page, name);
      }
      if (label === 'phone') {
        await page.goto(`${baseUrl}/union/welfare/pay?planId=${planId}&period=2026-10`);
        const card = page.locator('[data-testid="unpaid"]').first();
        const box = await card.boundingBox();
        expect(box!.width, 'a person is a card as wide as the phone').to.be.greaterThan(300);
      }
      expect(problems).to.deep.equal([]);
      await context.close();
    });
  }
});
