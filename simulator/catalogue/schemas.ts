// Schemas of the kinds the catalogue serves, in upstream field names (reference/domain-models.md and the
// core/v1, apps/v1 API). Built-in kinds are described as far as fleetgraph and its fixtures use them
// (explain shows those fields; everything else is still stored). Custom resources follow their upstream
// CRDs' fields; spec/status stay open (`x-kubernetes-preserve-unknown-fields`) only where upstream
// leaves them open, so a fixture with a misspelt field is pruned by a real server as it would be upstream.
// A kind without an entry gets an open spec/status schema (schemaOf in kinds.ts).
import type { KindKey } from '../types.js';
import { arr, bool, free, int, int64, kindSchema, listMap, mapOf, obj, quantity, str, stringMap, time, type JsonSchema } from './json-schema.js';

const condition = obj(
  { type: str(), status: str(), reason: str(), message: str(), lastTransitionTime: time(), lastHeartbeatTime: time(), lastProbeTime: time(), observedGeneration: int64() },
  'A condition of the object.',
);
const conditions = listMap(condition, ['type'], 'Current service state.');
const resources = obj({ requests: mapOf(quantity()), limits: mapOf(quantity()) }, 'Compute resources required by this container.');
const containerPort = obj({ name: str(), containerPort: int('Port number to expose on the pod IP address.'), protocol: str(), hostPort: int() });
const envVar = obj({ name: str(), value: str(), valueFrom: free() });
const container = obj(
  {
    name: str('Name of the container (DNS_LABEL), unique in the pod.'),
    image: str('Container image name.'),
    command: arr(str()),
    args: arr(str()),
    env: listMap(envVar, ['name']),
    ports: listMap(containerPort, ['containerPort', 'protocol'], 'Ports to expose from the container.'),
    resources,
    securityContext: free(),
    volumeMounts: listMap(obj({ name: str(), mountPath: str(), readOnly: bool() }), ['mountPath']),
    imagePullPolicy: str(),
  },
  'A single application container that you want to run within a pod.',
  { required: ['name'] },
);
const podSpec = obj(
  {
    containers: listMap(container, ['name'], 'List of containers belonging to the pod.'),
    initContainers: listMap(container, ['name']),
    nodeName: str('The node this pod is scheduled on.'),
    nodeSelector: stringMap(),
    hostNetwork: bool(),
    serviceAccountName: str(),
    restartPolicy: str(),
    volumes: listMap(free(), ['name']),
    tolerations: arr(free()),
    affinity: free(),
  },
  'Specification of the desired behavior of the pod.',
  { required: ['containers'] },
);
const containerStatus = obj({
  name: str(),
  ready: bool(),
  restartCount: int(),
  image: str(),
  imageID: str(),
  containerID: str(),
  started: bool(),
  state: free(),
  lastState: free(),
});
const podTemplate = obj({ metadata: obj({ labels: stringMap(), annotations: stringMap() }), spec: podSpec }, 'The pod template.');
const labelSelector = obj({ matchLabels: stringMap(), matchExpressions: arr(free()) }, 'A label query over a set of resources.', { 'x-kubernetes-map-type': 'atomic' });

const BUILT_IN: Record<KindKey, JsonSchema> = {
  '/nodes': kindSchema('Node is a worker node in Kubernetes.', {
    spec: obj({ podCIDR: str(), podCIDRs: arr(str()), providerID: str(), unschedulable: bool(), taints: arr(free()) }, 'Spec defines the behavior of a node.'),
    status: obj(
      {
        capacity: mapOf(quantity(), 'The total resources of the node, including extended resources such as openshift.io/<resourceName>.'),
        allocatable: mapOf(quantity(), 'The resources of a node that are available for scheduling.'),
        conditions: listMap(condition, ['type'], 'Conditions is an array of current observed node conditions.'),
        addresses: listMap(obj({ type: str(), address: str() }), ['type'], 'List of addresses reachable to the node.'),
        nodeInfo: obj(
          {
            machineID: str(), systemUUID: str(), bootID: str(), kernelVersion: str(), osImage: str(), containerRuntimeVersion: str(),
            kubeletVersion: str(), kubeProxyVersion: str(), operatingSystem: str(), architecture: str(),
          },
          'Set of ids/uuids to uniquely identify the node.',
        ),
        daemonEndpoints: free(),
        images: arr(free()),
      },
      'Most recently observed status of the node.',
    ),
  }),
  '/namespaces': kindSchema('Namespace provides a scope for Names.', {
    spec: obj({ finalizers: arr(str()) }),
    status: obj({ phase: str('Phase is the current lifecycle phase of the namespace.'), conditions }),
  }),
  '/pods': kindSchema('Pod is a collection of containers that can run on a host.', {
    spec: podSpec,
    status: obj(
      {
        phase: str('The phase of a Pod: Pending, Running, Succeeded, Failed, Unknown.'),
        conditions,
        podIP: str(),
        podIPs: listMap(obj({ ip: str() }), ['ip']),
        hostIP: str(),
        startTime: time(),
        reason: str(),
        message: str(),
        nominatedNodeName: str(),
        qosClass: str(),
        containerStatuses: arr(containerStatus),
        initContainerStatuses: arr(containerStatus),
      },
      'Most recently observed status of the pod.',
    ),
  }),
  '/services': kindSchema('Service is a named abstraction of software service.', {
    spec: obj({
      type: str(),
      selector: stringMap(),
      clusterIP: str(),
      clusterIPs: arr(str()),
      externalIPs: arr(str()),
      ports: listMap(obj({ name: str(), port: int(), targetPort: quantity(), protocol: str(), nodePort: int() }, undefined, { required: ['port'] }), ['port', 'protocol']),
    }),
    status: obj({ loadBalancer: free(), conditions }),
  }),
  '/events': kindSchema(
    'Event is a report of an event somewhere in the cluster.',
    {
      involvedObject: obj({ kind: str(), namespace: str(), name: str(), uid: str(), apiVersion: str(), resourceVersion: str(), fieldPath: str() }),
      reason: str(),
      message: str(),
      source: obj({ component: str(), host: str() }),
      firstTimestamp: time(),
      lastTimestamp: time(),
      eventTime: str(undefined, { format: 'date-time' }),
      count: int(),
      type: str(),
      reportingComponent: str(),
      reportingInstance: str(),
      action: str(),
    },
  ),
  '/configmaps': kindSchema('ConfigMap holds configuration data for pods to consume.', { data: stringMap(), binaryData: stringMap(), immutable: bool() }),
  'apps/daemonsets': kindSchema('DaemonSet represents the configuration of a daemon set.', {
    spec: obj({ selector: labelSelector, template: podTemplate, updateStrategy: free(), minReadySeconds: int(), revisionHistoryLimit: int() }),
    status: obj({
      currentNumberScheduled: int(), desiredNumberScheduled: int(), numberAvailable: int(), numberMisscheduled: int(), numberReady: int(),
      numberUnavailable: int(), observedGeneration: int64(), updatedNumberScheduled: int(), conditions,
    }),
  }),
  'apps/deployments': kindSchema('Deployment enables declarative updates for Pods and ReplicaSets.', {
    spec: obj({ replicas: int(), selector: labelSelector, template: podTemplate, strategy: free(), minReadySeconds: int(), revisionHistoryLimit: int(), paused: bool() }),
    status: obj({ replicas: int(), updatedReplicas: int(), readyReplicas: int(), availableReplicas: int(), unavailableReplicas: int(), observedGeneration: int64(), conditions }),
  }),
  'apiextensions.k8s.io/customresourcedefinitions': kindSchema('CustomResourceDefinition represents a resource that should be exposed on the API server.', {
    spec: free('Spec describes how the user wants the resources to appear.'),
    status: free(),
  }),
};

const ptpThreshold = obj({
  holdOverTimeout: int64('clock state to stay in holdover state in secs', { default: 5 }),
  maxOffsetThreshold: int64('max offset in nano secs', { default: 100 }),
  minOffsetThreshold: int64('min offset in nano secs', { default: -100 }),
  processDowntimeThresholds: mapOf(int64()),
});
const ptpProfile = obj(
  {
    name: str(),
    interface: str(),
    ptp4lOpts: str(), phc2sysOpts: str(), ts2phcOpts: str(), synce4lOpts: str(), chronydOpts: str(),
    ptp4lConf: str(), phc2sysConf: str(), ts2phcConf: str(), synce4lConf: str(), chronydConf: str(),
    ptpSchedulingPolicy: str(undefined, { enum: ['SCHED_OTHER', 'SCHED_FIFO'] }),
    ptpSchedulingPriority: int64(undefined, { minimum: 1, maximum: 65 }),
    ptpClockThreshold: ptpThreshold,
    ptpSettings: stringMap(),
    plugins: mapOf(free()),
  },
  undefined,
  { required: ['name'] },
);
const vf = obj(
  {
    name: str(), mac: str(), assigned: str(), driver: str(), pciAddress: str(), vendor: str(), deviceID: str(),
    Vlan: int('VLAN (capital V, as the Go JSON tag)'), mtu: int(), vfID: int(), vdpaType: str(), representorName: str(), guid: str(),
  },
  undefined,
  { required: ['pciAddress', 'vfID'] },
);
const vfGroup = obj({ resourceName: str(), deviceType: str(), vfRange: str(), policyName: str(), mtu: int(), isRdma: bool(), vdpaType: str() });
const sriovInterfaceStatus = obj(
  {
    name: str(), mac: str(), driver: str(), pciAddress: str(), vendor: str(), deviceID: str(), netFilter: str(), mtu: int(), numVfs: int(),
    totalvfs: int('VFs the NIC supports (lower-case upstream)'), linkSpeed: str(), linkType: str(), linkAdminState: str(), eSwitchMode: str(),
    externallyManaged: bool(), altNames: arr(str()), Vfs: arr(vf, 'Virtual functions (capital V upstream)'),
  },
  undefined,
  { required: ['pciAddress'] },
);
const oda = (description: string): JsonSchema => kindSchema(description, { spec: free(), status: free() });

const CUSTOM: Record<KindKey, JsonSchema> = {
  'ptp.openshift.io/ptpconfigs': kindSchema('PtpConfig is the Schema for the ptpconfigs API', {
    spec: obj(
      {
        profile: arr(ptpProfile),
        recommend: arr(
          obj({ profile: str(), priority: int64(), match: arr(obj({ nodeLabel: str(), nodeName: str() })) }, undefined, { required: ['priority', 'profile'] }),
        ),
      },
      'PtpConfigSpec defines the desired state of PtpConfig',
      { required: ['profile', 'recommend'] },
    ),
    status: obj({ matchList: arr(obj({ nodeName: str(), profile: str() }, undefined, { required: ['nodeName', 'profile'] })), conditions: arr(condition) }),
  }),
  'ptp.openshift.io/nodeptpdevices': kindSchema('NodePtpDevice is the Schema for the nodeptpdevices API', {
    spec: obj({}),
    status: obj({
      devices: arr(obj({ name: str(), profile: str(), hardwareInfo: free() })),
      hwconfig: arr(obj({ deviceID: str(), vendorID: str(), failed: bool(), status: str(), config: free() })),
    }),
  }),
  'ptp.openshift.io/ptpoperatorconfigs': kindSchema('PtpOperatorConfig is the Schema for the ptpoperatorconfigs API', {
    spec: obj(
      {
        daemonNodeSelector: stringMap(),
        ptpEventConfig: obj({ enableEventPublisher: bool(), transportHost: str(), storageType: str(), apiVersion: str() }),
        plugins: mapOf(free()),
      },
      undefined,
      { required: ['daemonNodeSelector'] },
    ),
    status: obj({}),
  }),
  'sriovnetwork.openshift.io/sriovnetworknodestates': kindSchema('SriovNetworkNodeState is the Schema for the sriovnetworknodestates API', {
    spec: obj({
      interfaces: arr(
        obj(
          { pciAddress: str(), numVfs: int(), mtu: int(), name: str(), linkType: str(), eSwitchMode: str(), vfGroups: arr(vfGroup), externallyManaged: bool() },
          undefined,
          { required: ['pciAddress'] },
        ),
      ),
      bridges: free(),
      system: free(),
    }),
    status: obj({
      interfaces: arr(sriovInterfaceStatus),
      bridges: free(),
      system: obj({ rdmaMode: str() }),
      syncStatus: str(),
      lastSyncError: str(),
    }),
  }),
  'sriovnetwork.openshift.io/sriovnetworknodepolicies': kindSchema('SriovNetworkNodePolicy is the Schema for the sriovnetworknodepolicies API', {
    spec: obj(
      {
        resourceName: str('SRIOV Network device plugin endpoint resource name'),
        nodeSelector: stringMap('NodeSelector selects the nodes to be configured'),
        priority: int('Priority of the policy, higher priority policies can override lower ones.', { minimum: 0, maximum: 99 }),
        mtu: int('MTU of VF', { minimum: 1 }),
        numVfs: int('Number of VFs for each PF', { minimum: 0 }),
        nicSelector: obj({ vendor: str(), deviceID: str(), rootDevices: arr(str()), pfNames: arr(str()), netFilter: str() }, 'NicSelector selects the NICs to be configured'),
        deviceType: str('The driver type for configured VFs.', { enum: ['netdevice', 'vfio-pci'] }),
        isRdma: bool(), needVhostNet: bool(),
        linkType: str(undefined, { enum: ['eth', 'ETH', 'ib', 'IB'] }),
        eSwitchMode: str(undefined, { enum: ['legacy', 'switchdev'] }),
        vdpaType: str(undefined, { enum: ['virtio', 'vhost'] }),
        excludeTopology: bool(), externallyManaged: bool(), bridge: free(),
      },
      'SriovNetworkNodePolicySpec defines the desired state of SriovNetworkNodePolicy',
      { required: ['nicSelector', 'nodeSelector', 'numVfs', 'resourceName'] },
    ),
    status: obj({}),
  }),
  'sriovnetwork.openshift.io/sriovnetworks': kindSchema('SriovNetwork is the Schema for the sriovnetworks API', {
    spec: obj(
      {
        resourceName: str('SRIOV Network device plugin endpoint resource name'),
        networkNamespace: str('Namespace of the NetworkAttachmentDefinition custom resource'),
        ipam: str('IPAM configuration to be used for this network (JSON text).'),
        vlan: int(undefined, { minimum: 0, maximum: 4096 }),
        vlanQoS: int(undefined, { minimum: 0, maximum: 7 }),
        vlanProto: str(),
        spoofChk: str(undefined, { enum: ['on', 'off'] }),
        trust: str(undefined, { enum: ['on', 'off'] }),
        linkState: str(undefined, { enum: ['auto', 'enable', 'disable'] }),
        minTxRate: int(undefined, { minimum: 0 }),
        maxTxRate: int(undefined, { minimum: 0 }),
        capabilities: str(), metaPlugins: str(), logLevel: str(), logFile: str(),
      },
      'SriovNetworkSpec defines the desired state of SriovNetwork',
      { required: ['resourceName'] },
    ),
    status: obj({ conditions: arr(condition) }),
  }),
  'sriovnetwork.openshift.io/sriovoperatorconfigs': kindSchema('SriovOperatorConfig is the Schema for the sriovoperatorconfigs API', {
    spec: obj({
      configDaemonNodeSelector: stringMap(),
      enableInjector: bool(), enableOperatorWebhook: bool(), enableOvsOffload: bool(), disableDrain: bool(),
      logLevel: int(undefined, { minimum: 0, maximum: 2 }),
      configurationMode: str(),
      featureGates: mapOf({ type: 'boolean' }),
      disablePlugins: arr(str()),
    }),
    status: obj({ injector: str(), operatorWebhook: str(), conditions: arr(condition) }),
  }),
  'k8s.cni.cncf.io/network-attachment-definitions': kindSchema('NetworkAttachmentDefinition is a CRD schema specified by the Network Plumbing Working Group to express the intent for attaching pods to one or more logical or physical networks.', {
    spec: obj({ config: str('NetworkAttachmentDefinition config is a JSON-formatted CNI configuration') }),
  }),
  'oda.tmforum.org/components': oda('Component is the Schema for the ODA Canvas components API'),
  'oda.tmforum.org/exposedapis': oda('ExposedAPI is the Schema for the ODA Canvas exposed APIs API'),
  'oda.tmforum.org/dependentapis': oda('DependentAPI is the Schema for the ODA Canvas dependent APIs API'),
  'o2ims.provisioning.oran.org/provisioningrequests': kindSchema('ProvisioningRequest is the Schema for the provisioningrequests API', {
    spec: obj(
      {
        name: str('Human readable name of the provisioning request'),
        description: str(),
        templateName: str('Name of the template'),
        templateVersion: str('Version of the template'),
        templateParameters: free('Free-form template parameters (clusterName, labels, ...)'),
      },
      'ProvisioningRequestSpec defines the desired state of ProvisioningRequest',
      { required: ['templateName', 'templateVersion', 'templateParameters'] },
    ),
    status: obj({
      provisioningStatus: obj({
        provisioningState: str(undefined, { enum: ['progressing', 'fulfilled', 'failed', 'deleting'] }),
        provisioningMessage: str(),
        provisioningUpdateTime: time(),
      }),
      provisionedResourceSet: obj({ oCloudNodeClusterId: str(), oCloudInfrastructureResourceIds: arr(str()) }),
      extensions: free(),
    }),
  }),
};

export const KIND_SCHEMAS: Readonly<Record<KindKey, JsonSchema>> = { ...BUILT_IN, ...CUSTOM };

/** What a kind without a schema of its own is described by: open spec and status. */
export function openSchema(kind: string): JsonSchema {
  return kindSchema(`${kind} (fields as upstream defines them; not described here)`, { spec: free(), status: free() });
}
