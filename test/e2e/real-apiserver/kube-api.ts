// A minimal REST client for loading fixtures through the API (both servers get them the same way:
// create, then write status through /status where the kind has it), from one kubeconfig context.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { parse as parseYaml } from 'yaml';
import { kindOf, type KindInfo } from '../../../simulator/kinds.js';
import type { KubeObject } from '../../../simulator/types.js';

export interface KubeApi {
  readonly server: string;
  call(method: string, path: string, body?: unknown, contentType?: string): Promise<{ status: number; body: any }>;
  /** Creates the object (status written through /status when the kind has the subresource); returns what the server stored. */
  load(obj: KubeObject): Promise<KubeObject>;
  /** Replaces an object's status through /status (or the object, for kinds without it). */
  writeStatus(obj: KubeObject, status: unknown): Promise<KubeObject>;
  close(): Promise<void>;
}

interface Kubeconfig {
  contexts: { name: string; context: { cluster: string; user: string } }[];
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data'?: string } }[];
  users: { name: string; user: { token?: string } }[];
}

export function kindOfObject(obj: KubeObject): KindInfo {
  const kind = kindOf(obj.apiVersion, obj.kind);
  if (!kind) throw new Error(`fixture ${obj.apiVersion} ${obj.kind} is not in simulator/kinds.ts`);
  return kind;
}

export function objectPath(kind: KindInfo, namespace: string | undefined, name?: string): string {
  const base = kind.group ? `/apis/${kind.group}/${kind.version}` : `/api/${kind.version}`;
  const ns = kind.namespaced ? `/namespaces/${namespace ?? 'default'}` : '';
  return `${base}${ns}/${kind.plural}${name ? `/${name}` : ''}`;
}

export function kubeApi(kubeconfigPath: string, contextName: string): KubeApi {
  const config = parseYaml(readFileSync(kubeconfigPath, 'utf8')) as Kubeconfig;
  const context = config.contexts.find((c) => c.name === contextName)?.context;
  if (!context) throw new Error(`no context ${contextName} in ${kubeconfigPath}`);
  const cluster = config.clusters.find((c) => c.name === context.cluster)!.cluster;
  const token = config.users.find((u) => u.name === context.user)!.user.token;
  const ca = Buffer.from(cluster['certificate-authority-data'] ?? '', 'base64').toString('utf8');
  const dispatcher = new Agent({ connect: { ca } });

  const call: KubeApi['call'] = async (method, path, body, contentType = 'application/json') => {
    const res = await request(`${cluster.server}${path}`, {
      method: method as 'GET',
      dispatcher,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': contentType }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
  };
  const must = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await call(method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  const writeStatus: KubeApi['writeStatus'] = async (obj, status) => {
    const kind = kindOfObject(obj);
    const path = objectPath(kind, obj.metadata.namespace, obj.metadata.name);
    const current = await must('GET', path);
    return must('PUT', kind.statusSubresource ? `${path}/status` : path, { ...current, status });
  };

  return {
    server: cluster.server,
    call,
    async load(obj) {
      const kind = kindOfObject(obj);
      const { status, ...rest } = obj;
      const created = (await must('POST', objectPath(kind, obj.metadata.namespace), kind.statusSubresource ? rest : obj)) as KubeObject;
      return status === undefined || !kind.statusSubresource ? created : writeStatus(created, status);
    },
    writeStatus,
    close: () => dispatcher.close(),
  };
}
