// What a heap snapshot (BENCH_HEAP_SNAPSHOT) is made of: self size by constructor, retained size by
// outermost instance of each constructor, and the retained size of the watch caches' stores per kind.
// `tsx bench/heap-report.ts FILE.heapsnapshot` (give Node room: NODE_OPTIONS=--max-old-space-size=8000).
// Snapshots of a large stack pass V8's 512 MiB string limit, so the number arrays are read from the bytes.
import { readFileSync } from 'node:fs';

interface Meta {
  node_fields: string[];
  node_types: [string[]];
  edge_fields: string[];
  edge_types: [string[]];
}

const buf = readFileSync(process.argv[2]!);
const at = (needle: string) => buf.indexOf(Buffer.from(needle));

function numbers(key: string): Uint32Array {
  const out: number[] = [];
  let n = 0;
  let inNumber = false;
  for (let i = at(`"${key}":[`) + key.length + 4; ; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      inNumber = true;
      continue;
    }
    if (inNumber) out.push(n);
    n = 0;
    inNumber = false;
    if (c === 93) return Uint32Array.from(out); // ]
  }
}

const meta = (JSON.parse(buf.subarray(0, at('"nodes":[')).toString('utf8').replace(/,\s*$/, '') + '}') as { snapshot: { meta: Meta } }).snapshot.meta;
const nodes = numbers('nodes');
const edges = numbers('edges');
const strings = JSON.parse(buf.subarray(at('"strings":[') + 10, buf.lastIndexOf(93) + 1).toString('utf8')) as string[];

const NF = meta.node_fields.length;
const EF = meta.edge_fields.length;
const [nType, nName, nSize, nEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f)) as [number, number, number, number];
const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => meta.edge_fields.indexOf(f)) as [number, number, number];
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];
const weak = new Set([edgeTypes.indexOf('weak'), edgeTypes.indexOf('shortcut')]);
const N = nodes.length / NF;

const firstEdge = new Uint32Array(N + 1);
for (let i = 0, e = 0; i < N; i++) {
  firstEdge[i] = e;
  e += nodes[i * NF + nEdges]! * EF;
}
firstEdge[N] = edges.length;
const strong = (e: number) => !weak.has(edges[e + eType]!);
const target = (e: number) => edges[e + eTo]! / NF;

// Post order from the root (node 0) over strong edges.
const postOrder = new Uint32Array(N);
const postIndex = new Int32Array(N).fill(-1);
let reached = 0;
{
  const stack = [0];
  const next = new Uint32Array(N);
  const seen = new Uint8Array(N);
  seen[0] = 1;
  while (stack.length) {
    const v = stack[stack.length - 1]!;
    const e = firstEdge[v]! + next[v]! * EF;
    if (e < firstEdge[v + 1]!) {
      next[v]!++;
      if (!strong(e)) continue;
      const to = target(e);
      if (!seen[to]) {
        seen[to] = 1;
        stack.push(to);
      }
    } else {
      stack.pop();
      postIndex[v] = reached;
      postOrder[reached++] = v;
    }
  }
}

// Predecessors, then immediate dominators (Cooper, Harvey, Kennedy), then retained sizes.
const predStart = new Uint32Array(N + 1);
for (let v = 0; v < N; v++) if (postIndex[v]! >= 0) for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e += EF) if (strong(e)) predStart[target(e) + 1]!++;
for (let i = 0; i < N; i++) predStart[i + 1]! += predStart[i]!;
const preds = new Uint32Array(predStart[N]!);
const fill = predStart.slice();
for (let v = 0; v < N; v++) if (postIndex[v]! >= 0) for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e += EF) if (strong(e)) preds[fill[target(e)]!++] = v;
const idom = new Int32Array(N).fill(-1);
idom[0] = 0;
for (let changed = true; changed; ) {
  changed = false;
  for (let p = reached - 2; p >= 0; p--) {
    const v = postOrder[p]!;
    let dom = -1;
    for (let k = predStart[v]!; k < predStart[v + 1]!; k++) {
      let a = preds[k]!;
      if (idom[a]! < 0) continue;
      if (dom < 0) {
        dom = a;
        continue;
      }
      let b = dom;
      while (a !== b) {
        while (postIndex[a]! < postIndex[b]!) a = idom[a]!;
        while (postIndex[b]! < postIndex[a]!) b = idom[b]!;
      }
      dom = a;
    }
    if (dom >= 0 && idom[v] !== dom) {
      idom[v] = dom;
      changed = true;
    }
  }
}
const retained = new Float64Array(N);
for (let i = 0; i < N; i++) retained[i] = nodes[i * NF + nSize]!;
for (let p = 0; p < reached - 1; p++) {
  const v = postOrder[p]!;
  if (idom[v]! >= 0 && idom[v] !== v) retained[idom[v]!]! += retained[v]!;
}

const name = (i: number) => {
  const type = nodeTypes[nodes[i * NF + nType]!]!;
  return type === 'object' || type === 'closure' ? strings[nodes[i * NF + nName]!]! : `(${type})`;
};
const mib = (bytes: number) => (bytes / 1048576).toFixed(1).padStart(8);
function table(title: string, rows: Map<string, [number, number]>, limit = 30): void {
  console.log(`--- ${title}: MiB, count`);
  for (const [k, [bytes, count]] of [...rows].sort((a, b) => b[1][0] - a[1][0]).slice(0, limit)) console.log(mib(bytes), String(count).padStart(9), k.slice(0, 90));
}
const add = (rows: Map<string, [number, number]>, key: string, bytes: number) => {
  const row = rows.get(key) ?? [0, 0];
  row[0] += bytes;
  row[1]++;
  rows.set(key, row);
};

const self = new Map<string, [number, number]>();
let total = 0;
for (let i = 0; i < N; i++) {
  total += nodes[i * NF + nSize]!;
  add(self, name(i), nodes[i * NF + nSize]!);
}
console.log(`${N} nodes, ${mib(total).trim()} MiB`);
table('self size by constructor', self);

// Retained size of each constructor's outermost instances (not under another instance of the same).
const outermost = new Map<string, [number, number]>();
for (let i = 0; i < N; i++) {
  const k = name(i);
  if (postIndex[i]! < 0 || k.startsWith('(')) continue;
  let d = idom[i]!;
  for (let hops = 0; d > 0 && hops < 50 && name(d) !== k; hops++) d = idom[d]!;
  if (d <= 0 || name(d) !== k) add(outermost, k, retained[i]!);
}
table('retained by outermost instances', outermost, 40);

// The watch caches: each Reflector's options.ref.plural (and label selector), its store's retained size.
const property = (i: number, key: string) => {
  for (let e = firstEdge[i]!; e < firstEdge[i + 1]!; e += EF) if (edgeTypes[edges[e + eType]!] === 'property' && strings[edges[e + eName]!] === key) return target(e);
  return -1;
};
const text = (i: number) => (i < 0 ? '' : strings[nodes[i * NF + nName]!]!);
const stores = new Map<string, [number, number]>();
for (let i = 0; i < N; i++) {
  if (name(i) !== 'Reflector') continue;
  const options = property(i, 'options');
  const ref = options >= 0 ? property(options, 'ref') : -1;
  const selector = options >= 0 ? text(property(options, 'labelSelector')) : '';
  const store = property(i, 'store');
  add(stores, `${ref >= 0 ? text(property(ref, 'plural')) : '?'}${selector ? ` [${selector}]` : ''}`, store >= 0 ? retained[store]! : 0);
}
table('watch-cache stores by kind (retained)', stores);
