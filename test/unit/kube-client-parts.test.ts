// The parts ClusterClient is composed of, each on its own: the watch stream's framing and parsing
// (watch-stream.ts) and the resilience policy with its health record (resilience.ts, health.ts).
// The composed client over HTTPS is kube-client.test.ts.
import { Readable } from 'node:stream';
import { ClusterError } from '../../subgraphs/kube/errors.js';
import { HealthRecord, clusterLooksDown } from '../../subgraphs/kube/health.js';
import type { KubeObject } from '../../subgraphs/kube/objects.js';
import { Resources } from '../../subgraphs/kube/resources.js';
import { ClusterPolicy } from '../../subgraphs/kube/resilience.js';
import type { Sent } from '../../subgraphs/kube/transport.js';
import { watchEvents } from '../../subgraphs/kube/watch-stream.js';

function body(chunks: string[]): Sent['body'] {
  return Readable.from(chunks.map((c) => Buffer.from(c))) as unknown as Sent['body'];
}

async function drain<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const e of stream) out.push(e);
  return out;
}

describe('watch stream framing', () => {
  const pod = (name: string, rv: string) => JSON.stringify({ type: 'ADDED', object: { metadata: { name, resourceVersion: rv } } });

  it('one event per line wherever chunks split, a last line without newline, type meta filled in, contact recorded per chunk', async () => {
    const text = `${pod('a', '1')}\n\n${pod('b', '2')}\n{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"3"}}}\n${pod('c', '4')}`;
    const chunks = [text.slice(0, 7), text.slice(7, 60), text.slice(60, 61), text.slice(61)];
    let contacts = 0;
    let released = 0;
    const stream = watchEvents('c1', Resources.pods, body(chunks), new AbortController(), () => contacts++, () => released++);
    const events = await drain(stream);
    expect(events.map((e) => [e.type, (e.object as KubeObject).metadata?.resourceVersion, e.object.kind])).toEqual([
      ['ADDED', '1', 'Pod'],
      ['ADDED', '2', 'Pod'],
      ['BOOKMARK', '3', undefined],
      ['ADDED', '4', 'Pod'],
    ]);
    expect(contacts).toBe(4);
    expect(released).toBe(1);
  });

  it('a malformed line fails the stream with UPSTREAM_ERROR naming the cluster', async () => {
    const stream = watchEvents('c1', Resources.pods, body([`${pod('a', '1')}\n{not json}\n`]), new AbortController(), () => undefined, () => undefined);
    await expect(drain(stream)).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', cluster: 'c1', message: 'cluster c1: malformed watch event' });
  });
});

describe('resilience policy and health', () => {
  const unreachable = () => Promise.reject(new ClusterError('CLUSTER_UNREACHABLE', 'c1', 'cluster c1 unreachable: connect ECONNREFUSED'));
  const notFound = () => Promise.reject(new ClusterError('NOT_FOUND', 'c1', 'cluster c1: not found', { httpStatus: 404 }));

  it('consecutive cluster-level failures open the circuit; the refusal names the last failure; health says unreachable', async () => {
    const health = new HealthRecord();
    const policy = new ClusterPolicy('c1', health, { failuresToOpen: 3, halfOpenAfterMs: 60_000 });
    for (let i = 0; i < 3; i++) await expect(policy.run(unreachable)).rejects.toMatchObject({ code: 'CLUSTER_UNREACHABLE' });
    expect(policy.circuitOpen).toBe(true);
    let called = false;
    const refused = policy.run(async () => {
      called = true;
    });
    await expect(refused).rejects.toThrow(/not tried, circuit open after 3 consecutive failures; last failure: cluster c1 unreachable/);
    expect(called).toBe(false);
    expect(clusterLooksDown(health.snapshot())).toBe(true);
  });

  it('answers, even 404s, keep the circuit closed and the cluster reachable', async () => {
    const health = new HealthRecord();
    const policy = new ClusterPolicy('c1', health, { failuresToOpen: 2 });
    for (let i = 0; i < 4; i++) {
      await expect(
        policy.run((_signal, answered) => {
          answered();
          return notFound();
        }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(policy.circuitOpen).toBe(false);
    expect(health.snapshot()).toMatchObject({ reachable: true, error: null, errorCode: null });
    expect(await policy.run(async () => 42)).toBe(42);
  });

  it('the deadline cuts a call that does not answer: CLUSTER_TIMEOUT, and the call’s signal aborts', async () => {
    const health = new HealthRecord();
    const policy = new ClusterPolicy('c1', health, { deadlineMs: 30 });
    let aborted = false;
    const hang = (signal: AbortSignal) =>
      new Promise<never>((_resolve, reject) =>
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(new Error('aborted'));
        }),
      );
    await expect(policy.run(hang)).rejects.toMatchObject({ code: 'CLUSTER_TIMEOUT', message: 'cluster c1: no answer within the 30 ms deadline' });
    expect(aborted).toBe(true);
    expect(health.snapshot()).toMatchObject({ reachable: false, errorCode: 'CLUSTER_TIMEOUT' });
  });
});
