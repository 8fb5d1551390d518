// CNF workload classification (seed 000, "CNF Workload Discovery"): a pod is a vDU, vCU, UPF, AMF …
// by, in order of precedence, an explicit label, a token of its name or owner's name, or its namespace.
// The rule that matched is returned with the kind so an operator can see why.
import type { CnfKind } from './generated/types.js';

export interface PodIdentity {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** Name of the controlling owner (ReplicaSet, StatefulSet, DaemonSet …), if any. */
  ownerName?: string;
}

export interface Classification {
  kind: CnfKind;
  rule: string;
}

/** Tokens (lower case) that name each kind. `du`/`cu` alone are RAN shorthand for vDU/vCU. */
const TOKENS: Record<string, CnfKind> = {
  vdu: 'VDU', du: 'VDU', odu: 'VDU',
  vcu: 'VCU', cu: 'VCU', 'cu-cp': 'VCU', 'cu-up': 'VCU', cucp: 'VCU', cuup: 'VCU', ocu: 'VCU',
  upf: 'UPF', amf: 'AMF', smf: 'SMF', nrf: 'NRF', ausf: 'AUSF', udm: 'UDM', pcf: 'PCF', nssf: 'NSSF', nef: 'NEF', udr: 'UDR',
};

/** Labels checked first; their whole value (or one of its tokens) names the kind. */
const LABEL_KEYS = ['cnf-type', 'cnf.fleetgraph.io/type', 'app.kubernetes.io/component', 'app.kubernetes.io/name', 'app', 'component'];

/** Namespace prefixes the seed searched: du-*, cu-*, upf-*; ran-* and 5g-* hold several kinds. */
const NAMESPACE_PREFIXES: [string, CnfKind][] = [
  ['du-', 'VDU'], ['vdu-', 'VDU'], ['cu-', 'VCU'], ['vcu-', 'VCU'], ['upf-', 'UPF'],
  ['amf-', 'AMF'], ['smf-', 'SMF'], ['nrf-', 'NRF'],
];

/** Two-letter RAN shorthands also appear inside unrelated names (node `du-001`), so they count only as a name's first token. */
const SHORT_TOKENS = new Set(['du', 'cu']);

/** Platform namespaces never hold CNFs, whatever their pods are called. */
const SYSTEM_NAMESPACE = /^(kube-|openshift|calico-|cilium|tigera-)/;

function tokens(value: string): string[] {
  return value.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

function kindOfValue(value: string): CnfKind | undefined {
  const whole = TOKENS[value.toLowerCase()];
  if (whole) return whole;
  for (const token of tokens(value)) {
    const kind = TOKENS[token];
    if (kind) return kind;
  }
  return undefined;
}

export function classifyPod(pod: PodIdentity): Classification | null {
  if (SYSTEM_NAMESPACE.test(pod.namespace) || pod.namespace === 'default') return null;
  for (const key of LABEL_KEYS) {
    const value = pod.labels[key];
    if (!value) continue;
    const kind = kindOfValue(value);
    if (kind) return { kind, rule: `label ${key}=${value}` };
  }
  for (const [source, name] of [['owner', pod.ownerName], ['name', pod.name]] as const) {
    if (!name) continue;
    for (const [index, token] of tokens(name).entries()) {
      if (SHORT_TOKENS.has(token) && index > 0) continue;
      const kind = TOKENS[token];
      if (kind) return { kind, rule: `${source} token ${token}` };
    }
  }
  for (const [prefix, kind] of NAMESPACE_PREFIXES) {
    if (pod.namespace.startsWith(prefix)) return { kind, rule: `namespace ${prefix}*` };
  }
  return null;
}
