// How far V8 lets the old generation grow past the live heap before its next full collection. Its
// default on a machine with plenty of memory is up to 4×, and the pages stay committed afterwards:
// watching 1,001 clusters (~420 MiB live) the heap reached ~1,000 MiB after the pre-warm burst and RSS
// ~1,300–1,500 MiB (bench, issue 17). At 1.5× the same run peaked at 957 MiB RSS with the same live heap
// and three more full collections during the warm queries (incremental, ~70 ms pauses).
// Set at run time because NODE_OPTIONS refuses this flag; V8 reads it at every heap-limit computation.
// A `--heap-growing-percent` given on the command line wins.
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

/**
 * Node flags every server process starts with (the launcher's children, the bench's, compose, Helm,
 * the image). A 32 MiB semi-space (V8's default is 16): a warm 1,001-cluster fleet query allocates
 * some 100 MiB of short-lived JSON and objects, and with the default young generation a quarter of its
 * CPU went to scavenges and to promoting what was about to die. Measured (bench, 1,001 clusters,
 * 25 ms): warm p50 201 → 129 ms, RSS 954 → 927 MiB (fewer promoted objects). Unlike the heap growth
 * above, V8 sizes the young generation once, at start: this must be on the command line (or
 * NODE_OPTIONS), not set at run time.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];

/** Called first thing by every entry point (gateway, subgraph, `npm start`). */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((a) => a.startsWith('--heap-growing-percent') || a.startsWith('--heap_growing_percent'))) return;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
