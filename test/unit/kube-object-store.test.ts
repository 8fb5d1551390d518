// The watch cache's store: objects by key with their resourceVersion, the namespace index and indexes a
// consumer adds, kept right through lists, updates and deletes.
import { ObjectStore } from '../../subgraphs/kube/object-store.js';
import type { KubeObject } from '../../subgraphs/kube/objects.js';

const pod = (namespace: string, name: string, rv: string, node = 'n1'): KubeObject => ({ metadata: { namespace, name, resourceVersion: rv }, spec: { nodeName: node } });
const incoming = (o: KubeObject) => ({ raw: o, object: o });
const names = (objects: readonly KubeObject[]) => objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort();
const nodeOf = (o: KubeObject) => [(o.spec as { nodeName?: string }).nodeName ?? ''];

describe('ObjectStore', () => {
  it('replace() diffs a full list: initial adds, updates where the resourceVersion moved, deletes; unchanged objects keep their identity', () => {
    const store = new ObjectStore<KubeObject>(true);
    const a = pod('ns1', 'a', '1');
    const first = store.replace([incoming(a), incoming(pod('ns1', 'b', '2')), incoming(pod('ns2', 'c', '3'))], true);
    expect(first.map((c) => [c.type, c.object.metadata.name, c.initial])).toEqual([
      ['add', 'a', true],
      ['add', 'b', true],
      ['add', 'c', true],
    ]);
    const second = store.replace([incoming(pod('ns1', 'a', '1')), incoming(pod('ns1', 'b', '5')), incoming(pod('ns2', 'd', '6'))], false);
    expect(second.map((c) => [c.type, c.object.metadata.name, c.initial])).toEqual([
      ['update', 'b', undefined],
      ['add', 'd', undefined],
      ['delete', 'c', undefined],
    ]);
    expect(store.get('ns1', 'a')).toBe(a);
    expect(store.size).toBe(3);
  });

  it('the namespace index follows every change', () => {
    const store = new ObjectStore<KubeObject>(true);
    store.replace([incoming(pod('ns1', 'a', '1')), incoming(pod('ns2', 'b', '2'))], true);
    expect(names(store.inNamespace('ns1'))).toEqual(['ns1/a']);
    store.upsert(pod('ns1', 'c', '3'), () => pod('ns1', 'c', '3'));
    store.remove(pod('ns1', 'a', '4'), () => pod('ns1', 'a', '4'));
    expect(names(store.inNamespace('ns1'))).toEqual(['ns1/c']);
    expect(names(store.inNamespace('ns2'))).toEqual(['ns2/b']);
    expect(store.inNamespace('nope')).toEqual([]);
    store.clear();
    expect(store.inNamespace('ns2')).toEqual([]);
  });

  it('an added index covers the objects already there and moves an object whose value changed', () => {
    const store = new ObjectStore<KubeObject>(true);
    store.replace([incoming(pod('ns1', 'a', '1', 'n1')), incoming(pod('ns1', 'b', '2', 'n2'))], true);
    store.addIndex('node', nodeOf);
    expect(names(store.byIndex('node', 'n1'))).toEqual(['ns1/a']);
    store.upsert(pod('ns1', 'a', '3', 'n2'), () => pod('ns1', 'a', '3', 'n2'));
    expect(store.byIndex('node', 'n1')).toEqual([]);
    expect(names(store.byIndex('node', 'n2'))).toEqual(['ns1/a', 'ns1/b']);
    expect(() => store.byIndex('missing', 'x')).toThrow(/no index "missing"/);
    expect(() => store.addIndex('node', nodeOf)).toThrow(/exists/);
  });

  it('upsert() ignores a resourceVersion already stored; remove() of an unknown object is nothing', () => {
    const store = new ObjectStore<KubeObject>(true);
    expect(store.upsert(pod('ns1', 'a', '1'), () => pod('ns1', 'a', '1'))?.type).toBe('add');
    expect(store.upsert(pod('ns1', 'a', '1'), () => pod('ns1', 'a', '1'))).toBeNull();
    expect(store.upsert(pod('ns1', 'a', '2'), () => pod('ns1', 'a', '2'))?.type).toBe('update');
    expect(store.remove(pod('ns1', 'zz', '3'), () => pod('ns1', 'zz', '3'))).toBeNull();
  });

  it('cluster-scoped kinds: get ignores a namespace, inNamespace is every object', () => {
    const store = new ObjectStore<KubeObject>(false);
    const node = { metadata: { name: 'n1', resourceVersion: '1' } };
    store.replace([incoming(node)], true);
    expect(store.get('whatever', 'n1')).toBe(node);
    expect(store.inNamespace('x')).toEqual([node]);
  });

  it('list() is the same frozen array until a write (so models memoized by it stay valid), a new one after', () => {
    const store = new ObjectStore<KubeObject>(true);
    store.replace([incoming(pod('ns1', 'a', '1'))], true);
    const first = store.list();
    expect(store.list()).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(store.upsert(pod('ns1', 'a', '1'), () => pod('ns1', 'a', '1'))).toBeNull(); // a replay changes nothing
    expect(store.list()).toBe(first);
    store.upsert(pod('ns1', 'b', '2'), () => pod('ns1', 'b', '2'));
    const second = store.list();
    expect(second).not.toBe(first);
    expect(names(second)).toEqual(['ns1/a', 'ns1/b']);
    store.remove(pod('ns1', 'a', '3'), () => pod('ns1', 'a', '3'));
    expect(names(store.list())).toEqual(['ns1/b']);
    store.replace([incoming(pod('ns1', 'c', '4'))], false);
    expect(names(store.list())).toEqual(['ns1/c']);
    store.clear();
    expect(store.list()).toEqual([]);
  });
});
