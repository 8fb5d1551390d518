// Reads a Component's operator-written status (x-kubernetes-preserve-unknown-fields, so nothing checked
// it): deployment_status from the literal `summary/status` key, the per-API entries, identity and
// secrets. A status of the wrong shape is reported as an error for the status only; the component's
// metadata and declared APIs stay readable (components.ts).
import { DEPLOYMENT_STATUS_VALUES, IDENTITY_PROVIDER_NOT_SET, SEGMENTS, SEGMENT_STATUS_KEYS, SUMMARY_STATUS_KEY } from './upstream.js';
import type { OdaApiStatusModel, OdaComponentStatusModel, OdaDependentApiStatusModel, OdaDeploymentStatus } from './models.js';
import { bool, int, record, segmentModel, str } from './values.js';

const DEPLOYMENT_STATUS: Record<(typeof DEPLOYMENT_STATUS_VALUES)[number], OdaDeploymentStatus> = {
  'In-Progress-CompCon': 'IN_PROGRESS_COMPCON',
  'In-Progress-IDConfOp': 'IN_PROGRESS_IDCONFOP',
  'In-Progress-SecretMan': 'IN_PROGRESS_SECRETMAN',
  'In-Progress-DepApi': 'IN_PROGRESS_DEPAPI',
  Complete: 'COMPLETE',
};

/** A deployment_status value; UNKNOWN for a value the operator does not write (e.g. a future `Failed`). */
export function deploymentStatusOf(text: string | null): OdaDeploymentStatus | null {
  if (text === null) return null;
  return (DEPLOYMENT_STATUS as Record<string, OdaDeploymentStatus>)[text] ?? 'UNKNOWN';
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Collects shape problems; each names the field path as in the object. */
class Problems {
  readonly list: string[] = [];
  expect(value: unknown, path: string, want: 'object' | 'list' | 'string' | 'boolean' | 'number'): boolean {
    if (value === undefined) return false;
    const ok =
      want === 'object' ? record(value) !== null : want === 'list' ? Array.isArray(value) : want === 'number' ? typeof value === 'number' : typeof value === want;
    if (!ok) this.list.push(`${path} is ${typeName(value)}, expected ${want === 'list' ? 'a list' : want === 'object' ? 'an object' : `a ${want}`}`);
    return ok;
  }
}

function entries(raw: Record<string, unknown>, key: string, problems: Problems, fields: Record<string, 'string' | 'boolean' | 'number'>): Record<string, unknown>[] {
  const value = raw[key];
  if (!problems.expect(value, `status.${key}`, 'list')) return [];
  const out: Record<string, unknown>[] = [];
  (value as unknown[]).forEach((entry, i) => {
    const path = `status.${key}[${i}]`;
    if (!problems.expect(entry, path, 'object')) return;
    const e = entry as Record<string, unknown>;
    for (const [field, want] of Object.entries(fields)) problems.expect(e[field], `${path}.${field}`, want);
    out.push(e);
  });
  return out;
}

const API_FIELDS = { name: 'string', uid: 'string', url: 'string', developerUI: 'string', ip: 'string', path: 'string', port: 'number', implementation: 'string', ready: 'boolean' } as const;
const DEPENDENT_FIELDS = { name: 'string', uid: 'string', url: 'string', ready: 'boolean' } as const;

export interface StatusRead {
  /** null before the operator wrote any status, or when it is malformed. */
  status: OdaComponentStatusModel | null;
  /** Why the status cannot be read (field paths), or null. */
  error: string | null;
}

export function readComponentStatus(raw: unknown): StatusRead {
  if (raw === undefined || raw === null) return { status: null, error: null };
  const problems = new Problems();
  if (!problems.expect(raw, 'status', 'object')) return { status: null, error: problems.list.join('; ') };
  const s = raw as Record<string, unknown>;

  const summary = s[SUMMARY_STATUS_KEY];
  let deploymentStatusText: string | null = null;
  let developerUiUrls: string[] = [];
  if (problems.expect(summary, `status["${SUMMARY_STATUS_KEY}"]`, 'object')) {
    const sum = summary as Record<string, unknown>;
    if (problems.expect(sum.deployment_status, `status["${SUMMARY_STATUS_KEY}"].deployment_status`, 'string')) deploymentStatusText = str(sum.deployment_status);
    if (problems.expect(sum.developerUIsummary, `status["${SUMMARY_STATUS_KEY}"].developerUIsummary`, 'string')) {
      developerUiUrls = (sum.developerUIsummary as string).split(' ').filter((u) => u !== '');
    }
  }

  const exposedApis: OdaApiStatusModel[] = [];
  const dependentApis: OdaDependentApiStatusModel[] = [];
  for (const segment of SEGMENTS) {
    const keys = SEGMENT_STATUS_KEYS[segment];
    for (const e of entries(s, keys.apis, problems, API_FIELDS)) {
      exposedApis.push({
        segment: segmentModel(segment),
        name: str(e.name) ?? '',
        uid: str(e.uid),
        url: str(e.url),
        developerUI: str(e.developerUI),
        ip: str(e.ip),
        path: str(e.path),
        port: int(e.port),
        implementation: str(e.implementation),
        ready: e.ready === true,
      });
    }
    for (const e of entries(s, keys.dependents, problems, DEPENDENT_FIELDS)) {
      dependentApis.push({ segment: segmentModel(segment), name: str(e.name) ?? '', uid: str(e.uid), url: str(e.url), ready: e.ready === true });
    }
  }

  let identityProvider: string | null = null;
  let identityListenerRegistered: boolean | null = null;
  if (problems.expect(s.identityConfig, 'status.identityConfig', 'object')) {
    const id = s.identityConfig as Record<string, unknown>;
    problems.expect(id.identityProvider, 'status.identityConfig.identityProvider', 'string');
    const provider = str(id.identityProvider);
    identityProvider = provider === IDENTITY_PROVIDER_NOT_SET ? null : provider;
    identityListenerRegistered = bool(id.listenerRegistered);
  }

  let secretsManagement: OdaComponentStatusModel['secretsManagement'] = null;
  if (problems.expect(s.securitySecretsManagement, 'status.securitySecretsManagement', 'object')) {
    const sm = s.securitySecretsManagement as Record<string, unknown>;
    if (Object.keys(sm).length > 0) secretsManagement = { name: str(sm.name), uid: str(sm.uid), ready: sm.ready === true };
  }

  if (problems.list.length > 0) return { status: null, error: problems.list.join('; ') };
  return {
    status: {
      deploymentStatus: deploymentStatusOf(deploymentStatusText),
      deploymentStatusText,
      exposedApis,
      dependentApis,
      identityProvider,
      identityListenerRegistered,
      secretsManagement,
      developerUiUrls,
    },
    error: null,
  };
}
