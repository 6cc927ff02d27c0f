import { expect } from 'chai';
import { systemActor } from '../../plugin/services/actor-names';
import { auditActionText } from '../../plugin/services/audit-words';

/** Actor ids and audit actions as people read them. */
describe('actors and actions in words', () => {
  const cases: Array<[string, { kind: string; ref: string } | null]> = [
    ['event:evt_3eb1c0', { kind: 'event', ref: '' }],
    ['job:reconcile:3', { kind: 'reconcile', ref: '3' }],
    ['job:apply-due', { kind: 'applyDue', ref: '' }],
    ['import:3', { kind: 'import', ref: '3' }],
    ['system:install', { kind: 'install', ref: '' }],
    ['system:demo', { kind: 'demo', ref: '' }],
    ['E000123', null],
    ['u_chair', null],
  ];
  for (const [id, want] of cases) it(`${id} → ${want ? want.kind : 'an employee'}`, () => expect(systemActor(id)).to.deep.equal(want));

  it('audit actions read as words in both languages', () => {
    expect(auditActionText('zh-CN', 'membership.join+transfer')).to.equal('入会、会籍接转');
    expect(auditActionText('zh-CN', 'application.approve')).to.equal('批准入会申请');
    expect(auditActionText('en', 'invitation.remind')).to.equal('Reminded');
  });
});
