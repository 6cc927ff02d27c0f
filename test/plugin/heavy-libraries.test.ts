import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The libraries plugin/lib/heavy.ts loads on first use (each 10–30 MB of the host's RSS once loaded). */
const HEAVY = ['echarts', 'exceljs', 'pdfkit', 'svg-to-pdfkit', 'sharp', 'qrcode', 'sanitize-html'];

describe('heavy libraries: the host does not carry them until a request needs one', () => {
  it('loading the module, its areas and routes, and the reference host loads none of them', () => {
    // A process of its own: this one has loaded them already for other tests.
    const script = `
      require('./plugin');
      require('./examples/host/app');
      const loaded = Object.keys(require.cache);
      const heavy = ${JSON.stringify(HEAVY)};
      process.stdout.write(JSON.stringify(heavy.filter((h) => loaded.some((k) => k.includes('/node_modules/' + h + '/')))));
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: path.join(__dirname, '..', '..'),
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).to.deep.equal([]);
  });
});
