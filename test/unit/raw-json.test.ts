// The pass-through's data kept as text (gateway/raw-json.ts): recognised only in a data-only body, and
// written exactly as Apollo Server's JSON.stringify would write the parsed value.
import { describe, expect, it } from '@jest/globals';
import { dataText, RawJson, stringifyResult } from '../../gateway/raw-json.js';

describe('raw JSON data', () => {
  it('takes the data of a data-only body, trailing newline or not', () => {
    expect(dataText('{"data":{"a":[1,2]}}\n')).toBe('{"a":[1,2]}');
    expect(dataText('{"data":null}')).toBe('null');
  });

  it('refuses anything that may carry more than data (the body is then parsed)', () => {
    expect(dataText('{"errors":[{"message":"x"}],"data":null}')).toBeUndefined();
    expect(dataText('{"data":{"a":1},"extensions":{"x":1}}')).toBeUndefined();
    expect(dataText('{"data":{"a":1},"errors":[]}')).toBeUndefined();
    expect(dataText('{"data":{"label":"errors"}}')).toBeUndefined(); // a false alarm: parsed, still right
    expect(dataText('{ "data": {} }')).toBeUndefined();
    expect(dataText('{"data":')).toBeUndefined();
    expect(dataText('')).toBeUndefined();
  });

  it('serialises as JSON.stringify of the parsed value, plus newline', () => {
    const text = '{"clusters":[{"name":"du-001","labels":[{"key":"role","value":"edge"}]}]}';
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const raw = new RawJson(text) as unknown as Record<string, unknown>;
    expect(stringifyResult({ data: raw })).toBe(`${JSON.stringify({ data: parsed })}\n`);
    const errors = [{ message: 'm', extensions: { code: 'C' } }];
    expect(stringifyResult({ errors, data: raw, extensions: { e: 1 } })).toBe(`${JSON.stringify({ errors, data: parsed, extensions: { e: 1 } })}\n`);
    expect(stringifyResult({ errors, data: parsed })).toBe(`${JSON.stringify({ errors, data: parsed })}\n`);
    expect(JSON.stringify({ data: raw })).toBe(JSON.stringify({ data: parsed }));
  });
});
