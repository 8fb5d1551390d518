// The texts kubelet, the container runtime, Multus and the CNI plugins write into pod Events, built the
// way each layer wraps the one below (upstream sources: kubernetes pkg/kubelet/kuberuntime, cri-o
// server/sandbox_network.go + ocicni, containerd, multus-cni pkg/multus + pkg/server + pkg/server/api/shim.go,
// containernetworking/plugins host-local, whereabouts, sriov-cni pkg/cnicommands). Readers must parse
// these as they come from real clusters, so every wrapper (including Multus' trailing newline inside the
// quoted 400 body) is kept.

export type ContainerRuntime = 'cri-o' | 'containerd';

export interface SandboxPod {
  namespace: string;
  name: string;
  uid: string;
}

export interface SandboxAttempt {
  runtime: ContainerRuntime;
  pod: SandboxPod;
  /** 64 hex digits: the sandbox (infra container) id of this attempt. */
  sandboxId: string;
  /** A UUID: the network namespace of this attempt. */
  netnsId: string;
  /** kubelet's sandbox attempt number (the `_0` of CRI-O's sandbox name). */
  attempt?: number;
}

/** Multus' default network name on every cluster it runs on (the name of its own CNI config). */
export const MULTUS_NETWORK = 'multus-cni-network';

/** The kubelet Warning FailedCreatePodSandBox message for a CNI ADD that Multus (thick plugin, shim) failed. */
export function multusSandboxFailure(a: SandboxAttempt, multusError: string): string {
  const { namespace: ns, name, uid } = a.pod;
  const netns = a.runtime === 'cri-o' ? `/var/run/netns/${a.netnsId}` : `/var/run/netns/cni-${a.netnsId}`;
  const args = `IgnoreUnknown=1;K8S_POD_NAMESPACE=${ns};K8S_POD_NAME=${name};K8S_POD_INFRA_CONTAINER_ID=${a.sandboxId};K8S_POD_UID=${uid}`;
  const shim =
    `CmdAdd (shim): CNI request failed with status 400: 'ContainerID:"${a.sandboxId}" Netns:"${netns}" IfName:"eth0" ` +
    `Args:"${args}" Path:"" ERRORED: error configuring pod [${ns}/${name}] networking: ${multusError}\n'`;
  const plugin = `plugin type="multus-shim" name="${MULTUS_NETWORK}" failed (add): ${shim}`;
  return `Failed to create pod sandbox: rpc error: code = Unknown desc = ${runtimeNetworkError(a, plugin)}`;
}

function runtimeNetworkError(a: SandboxAttempt, pluginError: string): string {
  const { namespace: ns, name, uid } = a.pod;
  if (a.runtime === 'containerd') return `failed to setup network for sandbox "${a.sandboxId}": ${pluginError}`;
  return (
    `failed to create pod network sandbox k8s_${name}_${ns}_${uid}_${a.attempt ?? 0}(${a.sandboxId}): ` +
    `error adding pod ${ns}_${name} to CNI network "${MULTUS_NETWORK}": ${pluginError}`
  );
}

/** Multus: a delegate's ADD failed. `confName` is the CNI config's `name` (not necessarily the NAD's). */
export function multusDelegateError(pod: SandboxPod, confName: string, pluginError: string): string {
  return `[${pod.namespace}/${pod.name}/${pod.uid}:${confName}]: error adding container to network "${confName}": ${pluginError}`;
}

/** Multus: a requested NetworkAttachmentDefinition does not exist (delegates are loaded before any ADD). */
export function multusNadNotFound(pod: SandboxPod, nadNamespace: string, nad: string): string {
  return (
    `Multus: [${pod.namespace}/${pod.name}/${pod.uid}]: error loading k8s delegates k8s args: TryLoadPodDelegates: ` +
    `error in getting k8s network for pod: GetNetworkDelegates: failed getting the delegate: getKubernetesDelegate: ` +
    `${multusNoNetworkFound(nadNamespace, nad)}`
  );
}

/** The Warning NoNetworkFound message Multus writes on the pod (same text inside the sandbox failure). */
export function multusNoNetworkFound(nadNamespace: string, nad: string): string {
  return (
    `cannot find a network-attachment-definition (${nad}) in namespace (${nadNamespace}): ` +
    `network-attachment-definitions.k8s.cni.cncf.io "${nad}" not found`
  );
}

/** Multus Normal AddedInterface: `Add <ifname> <ips as Go prints a []string> from <network>`. */
export function multusAddedInterface(ifName: string, cidrs: readonly string[], from: string): string {
  return `Add ${ifName} [${cidrs.join(' ')}] from ${from}`;
}

/** host-local: every address of the range set is leased. `ranges` as `<rangeStart>-<rangeEnd>`. */
export function hostLocalExhausted(ranges: readonly string[]): string {
  return `failed to allocate for range 0: no IP addresses available in range set: ${ranges.join(',')}`;
}

/** whereabouts: no free address in the range (its AssignmentError prints the IPNet with Go's %#v). */
export function whereaboutsExhausted(firstIP: string, lastIP: string, cidr: string): string {
  const [ip, bits] = cidr.split('/');
  const bytes = (ip ?? '').split('.').map((o) => `0x${Number(o).toString(16)}`);
  const prefix = Number(bits);
  const mask = [0, 1, 2, 3].map((i) => `0x${((0xff << (8 - Math.max(0, Math.min(8, prefix - i * 8)))) & 0xff).toString(16)}`);
  return (
    `Error at storage engine: Could not allocate IP in range: ip: ${firstIP} / - ${lastIP} / ` +
    `range: net.IPNet{IP:net.IP{${bytes.join(', ')}}, Mask:net.IPMask{${mask.join(', ')}}}`
  );
}

/** sriov-cni wraps its IPAM plugin's error with the PF ("master") the VF belongs to. */
export function sriovIpamError(ipamType: string, master: string, ipamError: string): string {
  return `failed to set up IPAM plugin type "${ipamType}" from the device "${master}": ${ipamError}`;
}

/** sriov-cni could not program the VF (e.g. the PF driver refuses the VLAN). */
export function sriovVfVlanError(vfId: number, vlan: number): string {
  return `SRIOV-CNI failed to configure VF "failed to set vf ${vfId} vlan configuration - id ${vlan}, qos 0 and proto 802.1q: operation not permitted"`;
}
