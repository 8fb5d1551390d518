import { describe, expect, it } from '@jest/globals';
import { matchesLabels, parseLabelSelector } from '../../simulator/api/label-selector.js';
import { matchesFields, parseFieldSelector } from '../../simulator/api/field-selector.js';
import { ApiError } from '../../simulator/api/status.js';
import { kindByKey } from '../../simulator/kinds.js';
import type { KubeObject } from '../../simulator/types.js';

const labels = { app: 'linuxptp-daemon', tier: 'node', 'node-role.kubernetes.io/master': '' };

function matches(selector: string): boolean {
  return matchesLabels(parseLabelSelector(selector), labels);
}

function parseError(parse: () => unknown): ApiError {
  try {
    parse();
  } catch (err) {
    return err as ApiError;
  }
  throw new Error('expected a parse error');
}

describe('label selectors', () => {
  it('supports every operator of the real grammar', () => {
    expect(matches('app=linuxptp-daemon')).toBe(true);
    expect(matches('app==linuxptp-daemon')).toBe(true);
    expect(matches('app!=linuxptp-daemon')).toBe(false);
    expect(matches('app!=other')).toBe(true);
    expect(matches('missing!=x')).toBe(true); // != matches objects without the label, as upstream
    expect(matches('app in (a, linuxptp-daemon)')).toBe(true);
    expect(matches('app notin (a,linuxptp-daemon)')).toBe(false);
    expect(matches('missing notin (a)')).toBe(true);
    expect(matches('node-role.kubernetes.io/master')).toBe(true);
    expect(matches('!node-role.kubernetes.io/master')).toBe(false);
    expect(matches('!missing')).toBe(true);
    expect(matches('app=linuxptp-daemon,tier=node')).toBe(true);
    expect(matches('app=linuxptp-daemon,tier=edge')).toBe(false);
    expect(matches('node-role.kubernetes.io/master=')).toBe(true);
    expect(matches('')).toBe(true);
  });

  it('answers malformed selectors with 400 BadRequest and the parser message', () => {
    const open = parseError(() => parseLabelSelector('app in (a'));
    expect(open).toBeInstanceOf(ApiError);
    expect(open.code).toBe(400);
    expect(open.reason).toBe('BadRequest');
    expect(open.message).toMatch(/^unable to parse requirement: found '', expected: ',', '\)' or identifier/);

    const badKey = parseError(() => parseLabelSelector('-bad=x'));
    expect(badKey.code).toBe(400);
    expect(badKey.message).toMatch(/^unable to parse requirement: key: Invalid value: "-bad"/);

    const badValue = parseError(() => parseLabelSelector('app=a b'));
    expect(badValue.message).toBe("found 'b', expected: ',' or 'end of string'");

    const noOp = parseError(() => parseLabelSelector('app ~ x'));
    expect(noOp.message).toMatch(/expected: in, notin, =, ==, !=, gt, lt/);
  });
});

describe('field selectors', () => {
  const pods = kindByKey('/pods')!;
  const events = kindByKey('/events')!;
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p1', namespace: 'vdu' },
    spec: { nodeName: 'n1' },
    status: { phase: 'Running' },
  };

  it('filters pods by the indexed fields', () => {
    expect(matchesFields(parseFieldSelector('spec.nodeName=n1,status.phase=Running', pods), pod)).toBe(true);
    expect(matchesFields(parseFieldSelector('status.phase!=Running', pods), pod)).toBe(false);
    expect(matchesFields(parseFieldSelector('metadata.name==p1,metadata.namespace=vdu', pods), pod)).toBe(true);
  });

  it('filters events by involvedObject, reason and type', () => {
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e1', namespace: 'vdu' },
      involvedObject: { kind: 'Pod', name: 'p1', namespace: 'vdu' },
      reason: 'FailedCreatePodSandBox',
      type: 'Warning',
    };
    const sel = parseFieldSelector('involvedObject.kind=Pod,involvedObject.name=p1,reason=FailedCreatePodSandBox,type=Warning', events);
    expect(matchesFields(sel, event)).toBe(true);
    expect(matchesFields(parseFieldSelector('type=Normal', events), event)).toBe(false);
  });

  it('refuses fields the real server does not index with 400 "field label not supported"', () => {
    const err = parseError(() => parseFieldSelector('spec.foo=bar', pods));
    expect(err.code).toBe(400);
    expect(err.message).toBe('field label not supported: spec.foo');
    expect(parseError(() => parseFieldSelector('reason=x', pods)).message).toBe('field label not supported: reason');
    expect(parseError(() => parseFieldSelector('nonsense', pods)).message).toBe("invalid selector: 'nonsense'; can't understand 'nonsense'");
  });
});
