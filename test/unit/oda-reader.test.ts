// The oda reader's served-version discovery: asked once per cluster and remembered; "no ODA CRDs"
// believed for a minute, then asked again (a canvas installed later is found); a version that stops
// being served is re-discovered; a cluster that cannot answer fails the read without being remembered.
import { ClusterError } from '../../subgraphs/kube/errors.js';
import type { KubeObject } from '../../subgraphs/kube/objects.js';
import type { ResourceRef } from '../../subgraphs/kube/resources.js';
import { NOT_SERVED_RECHECK_MS, OdaReader, type OdaCaches, type OdaClusters } from '../../subgraphs/oda/reader.js';

function fixture(versions: (string | null | Error)[]) {
  let now = 1_000_000;
  const asked: string[] = [];
  const reads: string[] = [];
  const served = new Set<string>(['v1', 'v1beta3']);
  const clusters = {
    has: () => true,
    client: () => ({
      name: 'c',
      health: {},
      async getJson<T>(path: string): Promise<T> {
        asked.push(path);
        const v = versions.shift();
        if (v instanceof Error) throw v;
        if (v === null || v === undefined) throw new ClusterError('NOT_FOUND', 'c', 'the server could not find the requested resource', { httpStatus: 404 });
        return { preferredVersion: { groupVersion: `oda.tmforum.org/${v}`, version: v } } as T;
      },
    }),
  } as unknown as OdaClusters;
  const caches = {
    cache: () => ({ on: () => () => undefined }),
    async readThrough(_cluster: string, ref: ResourceRef): Promise<KubeObject[] | null> {
      reads.push(`${ref.version}/${ref.plural}`);
      return served.has(ref.version) ? [{ apiVersion: `oda.tmforum.org/${ref.version}`, kind: ref.kind, metadata: { name: 'x' } }] : null;
    },
  } as unknown as OdaCaches;
  const reader = new OdaReader(clusters, caches, () => now);
  return { reader, asked, reads, served, advance: (ms: number) => (now += ms) };
}

it('asks once which version a cluster serves and reads the kinds at that version', async () => {
  const f = fixture(['v1beta3']);
  await Promise.all([f.reader.objects('c', 'components'), f.reader.objects('c', 'exposedapis')]);
  expect(await f.reader.objects('c', 'dependentapis')).toHaveLength(1);
  expect(f.asked).toEqual(['/apis/oda.tmforum.org']);
  expect(f.reads).toEqual(['v1beta3/components', 'v1beta3/exposedapis', 'v1beta3/dependentapis']);
});

it('believes "no ODA CRDs" for a minute, then finds a canvas installed since', async () => {
  const f = fixture([null, 'v1']);
  expect(await f.reader.objects('c', 'components')).toBeNull();
  f.advance(NOT_SERVED_RECHECK_MS - 1);
  expect(await f.reader.objects('c', 'components')).toBeNull();
  expect(f.asked).toHaveLength(1);
  f.advance(2);
  expect(await f.reader.objects('c', 'components')).toHaveLength(1);
  expect(f.asked).toHaveLength(2);
});

it('re-discovers when the remembered version is no longer served (CRDs upgraded)', async () => {
  const f = fixture(['v1beta3', 'v1']);
  await f.reader.objects('c', 'components');
  f.served.delete('v1beta3');
  expect(await f.reader.objects('c', 'components')).toEqual([expect.objectContaining({ apiVersion: 'oda.tmforum.org/v1' })]);
  expect(f.reads).toEqual(['v1beta3/components', 'v1beta3/components', 'v1/components']);
});

it('fails the read of a cluster that cannot answer, and asks again next time', async () => {
  const f = fixture([new ClusterError('CLUSTER_UNREACHABLE', 'c', 'connection reset'), 'v1']);
  await expect(f.reader.objects('c', 'components')).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
  expect(await f.reader.objects('c', 'components')).toHaveLength(1);
});
