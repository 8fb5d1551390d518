// Splits kubeconfig files into one KubeConfig object per context.
// @kubernetes/client-node binds clients to a KubeConfig's *current* context and looks the user up
// again on every request, so a shared instance whose context changes mixes server A with user B's
// credentials (reference/k8s-multicluster.md §3.2). Each cluster therefore gets its own instance
// holding only its own context, cluster and user.
import { createHash } from 'node:crypto';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';

export interface ContextConfig {
  /** The context name; it is the cluster's name in fleetgraph. */
  readonly name: string;
  /** Holds exactly one context, one cluster and one user; current context set. */
  readonly kubeConfig: KubeConfig;
  /** API server URL without credentials. */
  readonly server: string;
  readonly insecureSkipTlsVerify: boolean;
  /** Changes whenever anything of the context, cluster or user changes (hash; never shown). */
  readonly fingerprint: string;
}

/** The server URL with any user:password stripped. */
export function serverWithoutCredentials(server: string): string {
  try {
    const url = new URL(server);
    if (!url.username && !url.password) return server;
    url.username = '';
    url.password = '';
    const text = url.toString();
    return server.endsWith('/') ? text : text.replace(/\/$/, '');
  } catch {
    return server.replace(/\/\/[^/@]*@/, '//');
  }
}

function fingerprint(cluster: Cluster, user: User, context: Context): string {
  return createHash('sha256').update(JSON.stringify({ cluster, user, context })).digest('hex');
}

/**
 * Reads kubeconfig files (KUBECONFIG order: for a name defined twice, the first file wins, as kubectl
 * merges) and returns one ContextConfig per context, optionally only `contexts`.
 * Relative certificate/key file paths are resolved against the file that names them.
 */
export function loadContexts(files: readonly string[], contexts?: readonly string[]): ContextConfig[] {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const allContexts = new Map<string, Context>();
  for (const file of files) {
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    for (const c of kc.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.getContexts()) if (!allContexts.has(c.name)) allContexts.set(c.name, c);
  }
  const wanted = contexts ? new Set(contexts) : undefined;
  if (wanted) {
    const missing = [...wanted].filter((name) => !allContexts.has(name));
    if (missing.length) throw new Error(`kubeconfig has no context named ${missing.join(', ')}`);
  }
  const result: ContextConfig[] = [];
  for (const context of allContexts.values()) {
    if (wanted && !wanted.has(context.name)) continue;
    const cluster = clusters.get(context.cluster);
    if (!cluster) throw new Error(`kubeconfig context "${context.name}" names cluster "${context.cluster}", which is not defined`);
    // A context without a user is valid (anonymous access, e.g. through a proxy).
    const user: User = users.get(context.user) ?? { name: context.user || `${context.name}-anonymous` };
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [cluster],
      users: [user],
      contexts: [{ ...context, user: user.name }],
      currentContext: context.name,
    });
    result.push({
      name: context.name,
      kubeConfig,
      server: serverWithoutCredentials(cluster.server),
      insecureSkipTlsVerify: cluster.skipTLSVerify === true,
      fingerprint: fingerprint(cluster, user, context),
    });
  }
  return result;
}
