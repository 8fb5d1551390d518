// The domains of the real-apiserver suite, in fixture order (fleet first: namespaces, the node, pods).
// A domain helper adds its file beside these and one line here.
import type { Domain } from '../domain.js';
import { access } from './access.js';
import { cni } from './cni.js';
import { dpdk } from './dpdk.js';
import { fleet } from './fleet.js';
import { o2ims } from './o2ims.js';
import { oda } from './oda.js';
import { ovs } from './ovs.js';
import { sriov } from './sriov.js';
import { timing } from './timing.js';

// ovs schedules ovnkube-node midway: after every check that reads the node's pods
export const DOMAINS: readonly Domain[] = [fleet, timing, sriov, dpdk, cni, oda, o2ims, ovs, access];
