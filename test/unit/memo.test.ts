// lib/memo.ts: a model derived once per source object; a replaced object (a watch event's new version)
// gets a new model; another scope for the same object is derived again.
import { describe, expect, test } from '@jest/globals';
import { memoByInputs, memoByObject, memoByScopedObject } from '../../lib/memo.js';

describe('memoByObject', () => {
  test('derives once per object, again for the object that replaces it', () => {
    let calls = 0;
    const upper = memoByObject((o: { name: string }) => {
      calls++;
      return { name: o.name.toUpperCase() };
    });
    const v1 = { name: 'node-a' };
    const first = upper(v1);
    expect(upper(v1)).toBe(first);
    expect(calls).toBe(1);
    const v2 = { name: 'node-b' };
    expect(upper(v2)).toEqual({ name: 'NODE-B' });
    expect(calls).toBe(2);
  });

  test('a derived undefined is remembered too', () => {
    let calls = 0;
    const none = memoByObject((_o: object) => {
      calls++;
      return undefined;
    });
    const o = {};
    none(o);
    none(o);
    expect(calls).toBe(1);
  });
});

describe('memoByScopedObject', () => {
  test('the same object asked for with another scope is derived for that scope', () => {
    const tagged = memoByScopedObject((cluster: string, o: { name: string }) => `${cluster}/${o.name}`);
    const o = { name: 'n' };
    expect(tagged('edge-1', o)).toBe('edge-1/n');
    expect(tagged('edge-2', o)).toBe('edge-2/n');
    expect(tagged('edge-2', o)).toBe('edge-2/n');
  });
});

describe('memoByInputs', () => {
  test('derives once while every input is the same object, again when one of them is replaced', () => {
    let calls = 0;
    const join = memoByInputs((a: readonly string[], b: readonly string[], scope: string) => {
      calls++;
      return `${scope}:${[...a, ...b].join(',')}`;
    });
    const a = ['x'];
    const b = ['y'];
    const first = join(a, b, 's');
    expect(join(a, b, 's')).toBe(first);
    expect(calls).toBe(1);
    expect(join(a, ['y'], 's')).toBe('s:x,y'); // an equal but new list: derived again
    expect(calls).toBe(2);
    expect(join(a, b, 't')).toBe('t:x,y');
    expect(calls).toBe(3);
  });
});
