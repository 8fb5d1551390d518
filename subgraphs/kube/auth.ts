// Turns one cluster's KubeConfig into what an HTTPS request needs: TLS material for the connection
// (CA, client certificate) and request headers (bearer token, basic auth, impersonation).
// client-node's `applyToHTTPSOptions` does the work, including exec plugins and token files.
import type { KubeConfig } from '@kubernetes/client-node';

export interface TlsMaterial {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  servername?: string;
  /** false only when the kubeconfig says `insecure-skip-tls-verify: true`. */
  rejectUnauthorized: boolean;
}

export interface AuthMaterial {
  tls: TlsMaterial;
  /** Never log these: they carry credentials. */
  headers: Record<string, string>;
}

interface HttpsOptionsOut {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  servername?: string;
  rejectUnauthorized?: boolean;
  auth?: string;
  headers?: Record<string, string | string[] | number | undefined>;
}

export class ClusterAuth {
  private cached?: AuthMaterial;
  /** Static credentials (token, certificates) are read once; exec plugins and auth providers each time (they cache and refresh). */
  private readonly dynamic: boolean;

  constructor(private readonly kubeConfig: KubeConfig) {
    const user = kubeConfig.getCurrentUser();
    this.dynamic = Boolean(user?.exec || user?.authProvider);
  }

  async material(): Promise<AuthMaterial> {
    if (this.cached) return this.cached;
    const opts: HttpsOptionsOut = {};
    await this.kubeConfig.applyToHTTPSOptions(opts as Parameters<KubeConfig['applyToHTTPSOptions']>[0]);
    const cluster = this.kubeConfig.getCurrentCluster();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(opts.headers ?? {})) {
      if (value === undefined) continue;
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    if (opts.auth && !headers.authorization) headers.authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    const material: AuthMaterial = {
      tls: {
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        servername: cluster?.tlsServerName ?? opts.servername,
        rejectUnauthorized: cluster?.skipTLSVerify !== true,
      },
      headers,
    };
    if (!this.dynamic) this.cached = material;
    return material;
  }
}

/** True when two TLS materials would need different connections (e.g. an exec plugin rotated the client certificate). */
export function sameTls(a: TlsMaterial, b: TlsMaterial): boolean {
  const eq = (x: string | Buffer | undefined, y: string | Buffer | undefined) =>
    x === y || (x !== undefined && y !== undefined && Buffer.from(x).equals(Buffer.from(y)));
  return eq(a.ca, b.ca) && eq(a.cert, b.cert) && eq(a.key, b.key) && a.servername === b.servername && a.rejectUnauthorized === b.rejectUnauthorized;
}
