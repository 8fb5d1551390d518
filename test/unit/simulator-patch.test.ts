import { describe, expect, it } from '@jest/globals';
import { applyJsonPatch, applyMergePatch, decodeJsonPatch } from '../../simulator/api/patch.js';
import { ApiError } from '../../simulator/api/status.js';

const doc = { metadata: { name: 'a', labels: { x: '1' } }, spec: { list: [1, 2, 3], keep: true } };

function thrown(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    return err as ApiError;
  }
  throw new Error('expected an error');
}

describe('merge patch (RFC 7386)', () => {
  it('merges objects, replaces arrays and deletes on null without touching the input', () => {
    const out = applyMergePatch(doc, { metadata: { labels: { x: null, y: '2' } }, spec: { list: [9] } });
    expect(out).toEqual({ metadata: { name: 'a', labels: { y: '2' } }, spec: { list: [9], keep: true } });
    expect(doc.metadata.labels).toEqual({ x: '1' });
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('applies add, remove, replace, move, copy and test', () => {
    const ops = decodeJsonPatch([
      { op: 'test', path: '/metadata/name', value: 'a' },
      { op: 'add', path: '/spec/list/-', value: 4 },
      { op: 'add', path: '/spec/list/0', value: 0 },
      { op: 'remove', path: '/spec/keep' },
      { op: 'replace', path: '/metadata/labels/x', value: '9' },
      { op: 'copy', from: '/metadata/labels/x', path: '/metadata/labels/copied' },
      { op: 'move', from: '/metadata/labels/copied', path: '/metadata/labels/moved~1here' },
    ]);
    expect(applyJsonPatch(doc, ops)).toEqual({
      metadata: { name: 'a', labels: { x: '9', 'moved/here': '9' } },
      spec: { list: [0, 1, 2, 3, 4] },
    });
    expect(doc.spec.list).toEqual([1, 2, 3]);
  });

  it('is 400 BadRequest when the document does not decode, as upstream', () => {
    const err = thrown(() => decodeJsonPatch({ op: 'add' }));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  });

  it('is 422 Invalid when an operation cannot be applied', () => {
    const missing = thrown(() => applyJsonPatch(doc, decodeJsonPatch([{ op: 'replace', path: '/spec/nope/x', value: 1 }])));
    expect(missing.code).toBe(422);
    expect(missing.reason).toBe('Invalid');
    expect(missing.details?.causes?.[0].message).toContain('/spec/nope/x');
    const failedTest = thrown(() => applyJsonPatch(doc, decodeJsonPatch([{ op: 'test', path: '/metadata/name', value: 'b' }])));
    expect(failedTest.code).toBe(422);
    expect(failedTest.details?.causes?.[0].message).toBe('testing value /metadata/name failed: test failed');
    const unknownOp = thrown(() => applyJsonPatch(doc, decodeJsonPatch([{ op: 'frobnicate', path: '/x' }])));
    expect(unknownOp.code).toBe(422);
    expect(unknownOp.details?.causes?.[0].message).toBe('Unexpected kind: frobnicate');
  });
});
