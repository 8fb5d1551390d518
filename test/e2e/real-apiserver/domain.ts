// One domain of the real-apiserver suite: upstream-shaped fixtures (created through the API on both
// servers, status written through /status where the kind has it) and GraphQL checks run against the
// stack on each server. A domain helper adds a file in domains/ and one line in domains/index.ts.
import type { Stack } from '../../../scripts/stack.js';
import type { KubeObject } from '../../../simulator/types.js';
import type { KubeApi } from './kube-api.js';

export type TargetName = 'real' | 'simulator';

export interface GraphQLAnswer {
  status: number;
  data?: any;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

/** One GraphQL query, one answer: the common check. */
export interface QueryCheck {
  name: string;
  query: string;
  /**
   * Asserts (jest expect) what a user must see on `target` and returns a one-line summary for the
   * results table; differences between the servers are asserted per target, so they stay visible.
   */
  verify(answer: GraphQLAnswer, target: TargetName): string;
}

/** What a check of several steps gets of one server: its GraphQL stack and the admin's API client. */
export interface CheckTarget {
  readonly name: TargetName;
  readonly admin: KubeApi;
  /** The running stack (gateway URL for graphql-ws, subgraph URLs for their /healthz). */
  readonly stack: Stack;
  /** Through the gateway; `headers` pick the principal (test/helpers/test-scopes.ts). */
  query(query: string, options?: { variables?: Record<string, unknown>; headers?: Record<string, string> }): Promise<GraphQLAnswer>;
}

/** A check of several steps (writes, a fixture added midway, waiting for a watch): asserts and returns the summary. */
export interface StepCheck {
  name: string;
  run(target: CheckTarget): Promise<string>;
}

export type Check = QueryCheck | StepCheck;

export interface Domain {
  name: string;
  /** In creation order; objects of other domains (namespaces, the node) come first via domains/index.ts order. */
  objects: KubeObject[];
  /**
   * After `objects`: what needs values only the server assigns, as the operators write it (e.g. an
   * ownerReference to a Component's uid, then the Component's status naming its children's uids).
   */
  load?(api: KubeApi): Promise<void>;
  checks: Check[];
}

/** The cluster the admin context names, and the one without grants (both point at the same server). */
export const CLUSTER = 'k8s-run';
export const NO_GRANTS_CLUSTER = 'k8s-run-dev';
export const NODE = 'du-001-sno';

export function errorsAt(answer: GraphQLAnswer, prefix: (string | number)[]): NonNullable<GraphQLAnswer['errors']> {
  return (answer.errors ?? []).filter((e) => prefix.every((p, i) => e.path?.[i] === p));
}

/** `CODE at a.b.c` for each error, for summaries. */
export function codes(answer: GraphQLAnswer): string {
  return (answer.errors ?? []).map((e) => `${String(e.extensions?.code)}@${(e.path ?? []).join('.')}`).join(', ') || 'no errors';
}
