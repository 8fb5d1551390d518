// The ptp.openshift.io/v1 objects as the API server serializes them (reference/domain-models.md §1.1).
// Every field is optional here: older operators omit some, and a resolver must not crash on any.
import type { KubeObject } from '../kube/objects.js';
import { Resources } from '../kube/resources.js';

export const PTP_NAMESPACE = 'openshift-ptp';
export const PTP_GROUP = Resources.ptpConfigs.group;
/** The linuxptp-daemon pods (DaemonSet label). */
export const DAEMON_POD_SELECTOR = 'app=linuxptp-daemon';

export interface PtpClockThresholdSpec {
  holdOverTimeout?: number;
  maxOffsetThreshold?: number;
  minOffsetThreshold?: number;
  processDowntimeThresholds?: Record<string, number>;
}

export interface PtpProfileSpec {
  name?: string;
  interface?: string;
  ptp4lOpts?: string;
  phc2sysOpts?: string;
  ts2phcOpts?: string;
  synce4lOpts?: string;
  chronydOpts?: string;
  ptp4lConf?: string;
  phc2sysConf?: string;
  ts2phcConf?: string;
  synce4lConf?: string;
  chronydConf?: string;
  ptpSchedulingPolicy?: string;
  ptpSchedulingPriority?: number;
  ptpClockThreshold?: PtpClockThresholdSpec;
  ptpSettings?: Record<string, string>;
  plugins?: Record<string, unknown>;
}

export interface PtpMatchRuleSpec {
  nodeLabel?: string;
  nodeName?: string;
}

export interface PtpRecommendSpec {
  profile?: string;
  priority?: number;
  match?: PtpMatchRuleSpec[];
}

export interface MetaCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface PtpConfigObject extends KubeObject {
  spec?: { profile?: PtpProfileSpec[]; recommend?: PtpRecommendSpec[] };
  status?: { matchList?: { nodeName?: string; profile?: string }[]; conditions?: MetaCondition[] };
}

export interface PtpOperatorConfigObject extends KubeObject {
  spec?: {
    daemonNodeSelector?: Record<string, string>;
    ptpEventConfig?: { enableEventPublisher?: boolean; transportHost?: string; storageType?: string; apiVersion?: string };
    plugins?: Record<string, unknown>;
  };
}

export type HardwareInfoSpec = Partial<
  Record<
    | 'pciAddress'
    | 'vendorID'
    | 'deviceID'
    | 'subsystemVendorID'
    | 'subsystemDeviceID'
    | 'firmwareVersion'
    | 'driverVersion'
    | 'linkStatus'
    | 'linkSpeed'
    | 'fec'
    | 'vpdIdentifierString'
    | 'vpdPartNumber'
    | 'vpdSerialNumber'
    | 'vpdManufacturerID'
    | 'vpdProductName',
    string
  >
>;

export interface NodePtpDeviceObject extends KubeObject {
  status?: {
    devices?: { name?: string; profile?: string; hardwareInfo?: HardwareInfoSpec }[];
    hwconfig?: { deviceID?: string; vendorID?: string; failed?: boolean; status?: string; config?: unknown }[];
  };
}
