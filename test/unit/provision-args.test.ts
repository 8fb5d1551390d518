// `npm run provision` arguments: commands, templateParameters from --params / --param, usage errors.
import { parseProvisionArgs, templateParametersOf, UsageError } from '../../scripts/provision-args.js';

describe('parseProvisionArgs', () => {
  it('parses a create with typed, nested parameters and a timeout', () => {
    const args = parseProvisionArgs([
      'create', '--cluster', 'hub-1', '--name', 'edge-7', '--template', 'sno-ran-du', '--template-version', 'v4.18.0-1',
      '--params', '{"labels":{"site":"paris"}}', '--param', 'clusterName=du-020', '--param', 'labels.region=west', '--param', 'creationTimeout=200', '--param', 'fail=false',
      '--timeout', '90',
    ]);
    expect(args).toMatchObject({
      command: 'create',
      cluster: 'hub-1',
      name: 'edge-7',
      templateName: 'sno-ran-du',
      templateVersion: 'v4.18.0-1',
      templateParameters: { clusterName: 'du-020', labels: { site: 'paris', region: 'west' }, creationTimeout: 200, fail: false },
      wait: true,
      dryRun: false,
      timeoutMs: 90_000,
    });
  });

  it('does not wait on a dry run or with --no-wait, always waits on wait', () => {
    const base = ['--cluster', 'hub-1', '--name', 'x'];
    expect(parseProvisionArgs(['create', ...base, '--template', 't', '--template-version', 'v', '--dry-run']).wait).toBe(false);
    expect(parseProvisionArgs(['delete', ...base, '--no-wait']).wait).toBe(false);
    expect(parseProvisionArgs(['delete', ...base]).timeoutMs).toBe(300_000);
    expect(parseProvisionArgs(['wait', ...base])).toMatchObject({ wait: true, timeoutMs: 1_800_000 });
  });

  it('refuses what it cannot run with a usage error', () => {
    const cases: [string[], string][] = [
      [[], 'give a command: create, delete or wait'],
      [['launch'], 'unknown command "launch"'],
      [['wait', '--name', 'x'], '--cluster is required (the management cluster)'],
      [['wait', '--cluster', 'hub-1'], '--name is required (the ProvisioningRequest)'],
      [['create', '--cluster', 'h', '--name', 'x', '--template-version', 'v'], 'create needs --template'],
      [['delete', '--cluster', 'h', '--name', 'x', '--template', 't'], 'delete takes no template arguments'],
      [['wait', '--cluster', 'h', '--name', 'x', '--timeout', '0'], '--timeout must be a number of seconds > 0, got 0'],
    ];
    for (const [argv, message] of cases) expect(() => parseProvisionArgs(argv)).toThrow(new UsageError(message));
  });
});

describe('templateParametersOf', () => {
  it('refuses bad JSON, a non-object, a malformed entry and a path through a value', () => {
    expect(() => templateParametersOf('{', [])).toThrow(/--params is not JSON/);
    expect(() => templateParametersOf('[1]', [])).toThrow('--params must be a JSON object');
    expect(() => templateParametersOf(undefined, ['novalue'])).toThrow('--param expects key=value, got "novalue"');
    expect(() => templateParametersOf(undefined, ['a..b=1'])).toThrow('has an empty segment');
    expect(() => templateParametersOf('{"a":1}', ['a.b=2'])).toThrow('--param a.b=2: "a" is not an object');
    expect(templateParametersOf(undefined, ['name=007', 'empty='])).toEqual({ name: 7, empty: '' });
  });
});
