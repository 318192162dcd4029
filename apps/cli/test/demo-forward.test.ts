import { runCli } from '@cprh/testkit';

// `cprh start|sim|publish` were moved to the demo launcher (cprh-demo); the old names run it as a
// child process, so the operator CLI imports no workbench code and old scripts keep working.
describe('cprh start|sim|publish forward to cprh-demo', () => {
  it('cprh sim without a sub-command is cprh-demo sim: its usage and exit code 2', async () => {
    const r = await runCli(['sim'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cprh-demo sim: usage:');
  });

  it('cprh publish without files is cprh-demo publish: its one-line usage error', async () => {
    const r = await runCli(['publish'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cprh-demo publish: /);
  });

  it('lists the forwarded names in its help', async () => {
    const r = await runCli(['--help'], {});
    expect(r.stdout).toContain('cprh start ...');
    expect(r.stdout).toContain('`cprh-demo publish`');
  });
});
