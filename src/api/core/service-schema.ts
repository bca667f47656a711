// Schema of core/v1 Service, field for field as kube serves it.

import { Type } from '@sinclair/typebox';
import { bool, int32, intOrString, listOf, openObject, opt, str, stringList, stringMap } from '../schemas/builders.js';
import { conditionsList } from '../schemas/condition.js';

export const ServicePortSchema = Type.Object(
  {
    name: opt(str('Name of the port (a DNS label), required when the service has several; EndpointSlice ports carry it.')),
    protocol: opt(str('`TCP` (default), `UDP` or `SCTP`.')),
    appProtocol: opt(str('Application protocol of the port (`http`, `kubernetes.io/h2c`...).')),
    port: int32('Port the service exposes.'),
    targetPort: opt(intOrString('Port number or named container port on the pods; defaults to `port`.')),
    nodePort: opt(int32('Port on every node for NodePort and LoadBalancer services; allocated from the node port range when unset.')),
  },
  { description: 'A port the service exposes.', required: ['port'] },
);

export const ServiceSpecSchema = Type.Object(
  {
    ports: opt(listOf('Ports the service exposes.', ServicePortSchema, { mapKeys: ['port', 'protocol'], mergeKey: 'port', patchStrategy: 'merge' })),
    selector: opt(stringMap('Pods with these labels receive the traffic; endpoints are kept from them. No selector: endpoints are managed by hand.', { 'x-kubernetes-map-type': 'atomic' })),
    clusterIP: opt(str('Virtual IP of the service, allocated from the service CIDR unless given; `None` makes a headless service. Immutable.')),
    clusterIPs: opt(stringList('The cluster IPs (the first equals clusterIP).')),
    type: opt(str('`ClusterIP` (default), `NodePort`, `LoadBalancer` or `ExternalName`.')),
    externalIPs: opt(stringList('Extra IPs on which nodes accept traffic for the service.')),
    sessionAffinity: opt(str('`None` (default) or `ClientIP`.')),
    loadBalancerIP: opt(str('Deprecated: requested load balancer IP.')),
    loadBalancerSourceRanges: opt(stringList('Client CIDRs a load balancer admits.')),
    externalName: opt(str('DNS name an ExternalName service aliases.')),
    externalTrafficPolicy: opt(str('`Cluster` (default) or `Local` for external traffic.')),
    healthCheckNodePort: opt(int32('Health check node port for externalTrafficPolicy Local.')),
    publishNotReadyAddresses: opt(bool('Publish endpoints of pods that are not ready.')),
    sessionAffinityConfig: opt(openObject('Session affinity settings (`clientIP.timeoutSeconds`).')),
    ipFamilies: opt(stringList('IP families of the service (`IPv4`).')),
    ipFamilyPolicy: opt(str('`SingleStack` (default), `PreferDualStack` or `RequireDualStack`.')),
    allocateLoadBalancerNodePorts: opt(bool('Whether node ports are allocated for a LoadBalancer service.')),
    loadBalancerClass: opt(str('The load balancer implementation for the service.')),
    internalTrafficPolicy: opt(str('`Cluster` (default) or `Local` for traffic from inside the cluster.')),
    trafficDistribution: opt(str('Preference for routing traffic (`PreferClose`).')),
  },
  { description: 'Desired state of a Service.' },
);

export const ServiceStatusSchema = Type.Object(
  {
    loadBalancer: opt(openObject('The load balancer, if any (`ingress` addresses).')),
    conditions: opt(conditionsList('Current observations of the service.')),
  },
  { description: 'Observed state of a Service.' },
);
