// Durations (strict PromQL syntax, BAD_USER_INPUT that says what to send) and alert thresholds: the
// seed's defaults, layered overrides (fleet defaults → label groups → cluster) with clear errors.
import { GraphQLError } from 'graphql';
import { formatDuration, parseDuration, subqueryStepMs } from '../../subgraphs/ovs/duration.js';
import { DEFAULT_OVS_SETTINGS, OvsSettingsError, parseOvsSettings, resolveOvsSettings } from '../../subgraphs/ovs/thresholds.js';

const MiB = 1024 * 1024;

function inputError(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphQLError);
    expect((err as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    return err as GraphQLError;
  }
  throw new Error('expected a BAD_USER_INPUT error');
}

describe('durations', () => {
  it('parses PromQL durations and writes them back canonically', () => {
    expect(['30s', '5m', '1h30m', '1d', '2w', '90s', '1500ms', ' 10m '].map((d) => parseDuration(d))).toEqual([30_000, 300_000, 5_400_000, 86_400_000, 1_209_600_000, 90_000, 1_500, 600_000]);
    expect([5_400_000, 90_000, 86_400_000 + 1000, 1_500, 0, 365 * 86_400_000].map(formatDuration)).toEqual(['1h30m', '1m30s', '1d1s', '1s500ms', '0s', '1y']);
    expect(formatDuration(400 * 86_400_000)).toBe('57w1d');
  });

  it('refuses malformed and out-of-range durations as BAD_USER_INPUT naming the argument', () => {
    expect(inputError(() => parseDuration('5x', 'window')).message).toMatch(/window "5x" is not a duration; use a number and a unit.*e\.g\. 30s, 5m/);
    expect(inputError(() => parseDuration('', 'window')).message).toMatch(/window is empty/);
    expect(inputError(() => parseDuration('30m1h', 'window')).message).toMatch(/largest to smallest/);
    expect(inputError(() => parseDuration('5m5m', 'window')).message).toMatch(/largest to smallest/);
    expect(inputError(() => parseDuration('-5m', 'window')).extensions.argument).toBe('window');
    expect(inputError(() => parseDuration('5', 'window')).message).toMatch(/not a duration/);
    expect(inputError(() => parseDuration('500ms', 'window')).message).toMatch(/shorter than 1s/);
    expect(inputError(() => parseDuration('31d', 'window')).message).toMatch(/longer than 4w2d/);
    expect(inputError(() => parseDuration('99999999999999999999s')).message).toMatch(/too long/);
    expect(parseDuration('40d', 'window', { maxMs: 90 * 86_400_000 })).toBe(40 * 86_400_000);
  });

  it('picks a subquery step of about a hundredth of the window, at least 1 s', () => {
    expect([10_000, 300_000, 3_600_000, 86_400_000].map(subqueryStepMs)).toEqual([1000, 3000, 36_000, 864_000]);
  });
});

describe('thresholds', () => {
  it('defaults to the seed: CPU 70/85 %, memory 500 MiB / 1000 MiB, flows 5k/20k and 10k/50k, rconn 100/1000 and 50/500', () => {
    expect(DEFAULT_OVS_SETTINGS.counterWindowMs).toBe(300_000);
    expect(DEFAULT_OVS_SETTINGS.hysteresisPercent).toBe(5);
    expect(DEFAULT_OVS_SETTINGS.thresholds.map((t) => [t.metric, t.warning, t.critical, t.info])).toEqual([
      ['VSWITCHD_CPU', 70, 85, 56],
      ['OVSDB_CPU', 70, 85, 56],
      ['VSWITCHD_MEMORY', 500 * MiB, 1000 * MiB, 400 * MiB],
      ['OVSDB_MEMORY', 500 * MiB, 1000 * MiB, 400 * MiB],
      ['DP_FLOWS', 5_000, 20_000, 4_000],
      ['BRIDGE_FLOWS', 10_000, 50_000, 8_000],
      ['RCONN_OVERFLOW', 100, 1_000, 80],
      ['RCONN_DISCARDED', 50, 500, 40],
    ]);
    expect(DEFAULT_OVS_SETTINGS.thresholds.every((t) => t.enabled)).toBe(true);
  });

  it('merges fleet defaults → label group → cluster field by field', () => {
    const s = resolveOvsSettings([
      { raw: { counterWindow: '10m', thresholds: { vswitchdCpu: { warning: 60, critical: 80 }, dpFlows: { critical: 40_000 } } }, path: 'defaults.settings.ovs' },
      { raw: { hysteresisPercent: 2, thresholds: { VSWITCHD_CPU: { critical: 90 }, vswitchdMemory: { warning: '768Mi', critical: '1.5Gi' } } }, path: 'groups[0].settings.ovs' },
      { raw: { thresholds: { rconnOverflow: { enabled: false }, bridgeFlows: { info: false }, dpLookupLost: { warning: 1, critical: 100 } } }, path: 'clusters[2].settings.ovs' },
    ]);
    const by = new Map(s.thresholds.map((t) => [t.metric, t]));
    expect([s.counterWindowMs, s.hysteresisPercent]).toEqual([600_000, 2]);
    expect(by.get('VSWITCHD_CPU')).toEqual({ metric: 'VSWITCHD_CPU', enabled: true, info: 48, warning: 60, critical: 90 });
    expect(by.get('DP_FLOWS')).toMatchObject({ warning: 5_000, critical: 40_000 });
    expect(by.get('VSWITCHD_MEMORY')).toMatchObject({ warning: 768 * MiB, critical: 1536 * MiB });
    expect(by.get('RCONN_OVERFLOW')).toMatchObject({ enabled: false, warning: 100 });
    expect(by.get('BRIDGE_FLOWS')).toMatchObject({ info: null, warning: 10_000 });
    expect(by.get('DP_LOOKUP_LOST')).toEqual({ metric: 'DP_LOOKUP_LOST', enabled: true, info: 0.8, warning: 1, critical: 100 });
    expect(by.has('STREAM_OPEN')).toBe(false); // no default, no override
    // Catalogue order, whatever the layers' order.
    expect(s.thresholds.map((t) => t.metric).indexOf('DP_LOOKUP_LOST')).toBe(s.thresholds.length - 1);
  });

  it('accepts byte quantities for memory (binary and decimal) and plain numbers elsewhere', () => {
    const mem = (v: unknown) => parseOvsSettings({ thresholds: { ovsdbMemory: { warning: v } } }).thresholds.OVSDB_MEMORY!.warning;
    expect(['512Mi', '1Gi', '500MB', '2G', '1.5GiB', 1024].map(mem)).toEqual([512 * MiB, 1024 * MiB, 500e6, 2e9, 1.5 * 1024 * MiB, 1024]);
    expect(() => parseOvsSettings({ thresholds: { dpFlows: { warning: '5k' } } })).toThrow(/settings\.ovs\.thresholds\.dpFlows\.warning: must be a number, got "5k"/);
  });

  it('says where a bad setting is and what is allowed', () => {
    const err = (raw: unknown, path = 'clusters[3].settings.ovs') => {
      try {
        parseOvsSettings(raw, path);
      } catch (e) {
        expect(e).toBeInstanceOf(OvsSettingsError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(err('nope')).toBe('clusters[3].settings.ovs: must be a map');
    expect(err({ thresold: {} })).toMatch(/clusters\[3\]\.settings\.ovs\.thresold: unknown setting; known: counterWindow, hysteresisPercent, thresholds/);
    expect(err({ thresholds: { cpu: { warning: 1 } } })).toMatch(/thresholds\.cpu: unknown metric; known: vswitchdCpu, ovsdbCpu, .*dpFlows/);
    expect(err({ thresholds: { dpFlows: { warn: 1 } } })).toMatch(/thresholds\.dpFlows\.warn: unknown field; known: warning, critical, info, enabled/);
    expect(err({ thresholds: { dpFlows: { warning: -1 } } })).toMatch(/dpFlows\.warning: must be a number ≥ 0/);
    expect(err({ thresholds: { dpFlows: { enabled: 'no' } } })).toMatch(/dpFlows\.enabled: must be true or false/);
    expect(err({ counterWindow: '5 minutes' })).toMatch(/counterWindow: counterWindow "5 minutes" is not a duration/);
    expect(err({ counterWindow: '5s' })).toMatch(/shorter than 10s/);
    expect(err({ hysteresisPercent: 100 })).toMatch(/hysteresisPercent: must be a number in \[0, 100\)/);
    expect(parseOvsSettings(undefined)).toEqual({ thresholds: {} });
    // null removes an override (the fleet file's merge semantics), it does not disable.
    expect(parseOvsSettings({ thresholds: { dpFlows: null } }).thresholds.DP_FLOWS).toBeUndefined();
    expect(parseOvsSettings({ thresholds: { dpFlows: { info: null } } }).thresholds.DP_FLOWS).toEqual({});
  });

  it('refuses merged levels out of order, naming the layer that set them last', () => {
    expect(() => resolveOvsSettings([{ raw: { thresholds: { dpFlows: { warning: 30_000 } } }, path: 'groups[1].settings.ovs' }])).toThrow(
      /groups\[1\]\.settings\.ovs\.thresholds\.dpFlows: levels out of order: info 24000 ≤ warning 30000 ≤ critical 20000 must hold/,
    );
    expect(() => resolveOvsSettings([{ raw: { thresholds: { vswitchdCpu: { info: 75 } } }, path: 'p' }])).toThrow(/info 75 ≤ warning 70/);
  });
});
