import { MetricParseError, parsePrometheusText, parseSampleValue } from '../../subgraphs/metrics/text-format.js';

describe('Prometheus text format parser', () => {
  it('reads samples with labels, HELP/TYPE, timestamps and skips other comments', () => {
    const page = [
      '# HELP openshift_ptp_clock_state 0 = FREERUN, 1 = LOCKED, 2 = HOLDOVER',
      '# TYPE openshift_ptp_clock_state gauge',
      'openshift_ptp_clock_state{iface="ens5fx",node="du-001",process="ptp4l"} 1',
      '# a free comment',
      '',
      'openshift_ptp_offset_ns{from="master",iface="ens5fx",node="du-001",process="ptp4l"} -12 1700000000000',
      'up 1',
      '# EOF',
    ].join('\n');
    const parsed = parsePrometheusText(page);
    expect(parsed.samples).toEqual([
      { name: 'openshift_ptp_clock_state', labels: { iface: 'ens5fx', node: 'du-001', process: 'ptp4l' }, value: 1 },
      { name: 'openshift_ptp_offset_ns', labels: { from: 'master', iface: 'ens5fx', node: 'du-001', process: 'ptp4l' }, value: -12, timestampMs: 1700000000000 },
      { name: 'up', labels: {}, value: 1 },
    ]);
    expect(parsed.families.get('openshift_ptp_clock_state')).toEqual({ help: '0 = FREERUN, 1 = LOCKED, 2 = HOLDOVER', type: 'gauge' });
  });

  it('unescapes label values and accepts spaces, trailing commas and CRLF', () => {
    const parsed = parsePrometheusText('m{a="x\\"y", b = "line\\nbreak", c="back\\\\slash",} 2.5e3\r\n');
    expect(parsed.samples[0]).toEqual({ name: 'm', labels: { a: 'x"y', b: 'line\nbreak', c: 'back\\slash' }, value: 2500 });
  });

  it('reads NaN and infinities', () => {
    const values = parsePrometheusText('a NaN\nb +Inf\nc -Inf\n').samples.map((s) => s.value);
    expect(Number.isNaN(values[0])).toBe(true);
    expect(values.slice(1)).toEqual([Infinity, -Infinity]);
    expect(parseSampleValue('12abc')).toBeUndefined();
  });

  it('fails the whole page on a malformed line, naming the line', () => {
    expect(() => parsePrometheusText('ok 1\nbroken{a="x" 1\n')).toThrow(MetricParseError);
    expect(() => parsePrometheusText('ok 1\nbroken{a="x"} one\n')).toThrow(/line 2: invalid value/);
    expect(() => parsePrometheusText('m{a="1",a="2"} 1')).toThrow(/given twice/);
  });
});
