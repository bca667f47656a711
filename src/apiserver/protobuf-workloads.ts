// Protobuf messages of the workload kinds kubectl creates through its typed
// clients (`create deployment|job|cronjob|service|ingress`, `create job
// --from`): apps/v1 Deployment, batch/v1 Job and CronJob, core/v1 Service,
// networking.k8s.io/v1 Ingress, and the pod template they carry. Field numbers are those of Kubernetes' generated.proto.
// The pod-level messages are strict: a field not described here is refused
// with 415 (send JSON) rather than silently dropped.

import type { FieldSpec, MessageSpec } from './protobuf.js';

const str = (name: string): FieldSpec => ({ name, type: 'string' });
const strs = (name: string): FieldSpec => ({ name, type: 'string', repeated: true });
const i32 = (name: string, keepZero = false): FieldSpec => ({ name, type: 'int32', keepZero });
const i64 = (name: string, keepZero = false): FieldSpec => ({ name, type: 'int64', keepZero });
/** A plain Go bool: false is omitted. */
const flag = (name: string): FieldSpec => ({ name, type: 'bool', omitFalse: true });
/** A Go *bool: false is kept. */
const optBool = (name: string): FieldSpec => ({ name, type: 'bool' });
const msg = (name: string, type: MessageSpec, repeated = false): FieldSpec => ({ name, type, repeated });
const map = (name: string): FieldSpec => ({ name, type: 'map' });
const quantities = (name: string): FieldSpec => ({ name, type: 'quantityMap' });
const intOrString = (name: string): FieldSpec => ({ name, type: 'intOrString' });

const localRef: MessageSpec = { 1: str('name') };
const keySelector: MessageSpec = { 1: { name: 'localObjectReference', type: localRef, inline: true }, 2: str('key'), 3: optBool('optional') };

const envVarSource: MessageSpec = {
  strict: 'EnvVarSource',
  1: msg('fieldRef', { 1: str('apiVersion'), 2: str('fieldPath') }),
  2: msg('resourceFieldRef', { strict: 'ResourceFieldSelector', 1: str('containerName'), 2: str('resource') }),
  3: msg('configMapKeyRef', keySelector),
  4: msg('secretKeyRef', keySelector),
};

const envVar: MessageSpec = { strict: 'EnvVar', 1: str('name'), 2: str('value'), 3: msg('valueFrom', envVarSource) };
const envFrom: MessageSpec = {
  strict: 'EnvFromSource',
  1: str('prefix'),
  2: msg('configMapRef', { 1: { name: 'localObjectReference', type: localRef, inline: true }, 2: optBool('optional') }),
  3: msg('secretRef', { 1: { name: 'localObjectReference', type: localRef, inline: true }, 2: optBool('optional') }),
};

const containerPort: MessageSpec = { strict: 'ContainerPort', 1: str('name'), 2: i32('hostPort'), 3: i32('containerPort'), 4: str('protocol'), 5: str('hostIP') };
const resources: MessageSpec = { strict: 'ResourceRequirements', 1: quantities('limits'), 2: quantities('requests'), 3: msg('claims', { 1: str('name'), 2: str('request') }, true) };
const volumeMount: MessageSpec = {
  strict: 'VolumeMount',
  1: str('name'),
  2: flag('readOnly'),
  3: str('mountPath'),
  4: str('subPath'),
  5: str('mountPropagation'),
  6: str('subPathExpr'),
  7: str('recursiveReadOnly'),
};

const probeHandler: MessageSpec = {
  strict: 'ProbeHandler',
  1: msg('exec', { 1: strs('command') }),
  2: msg('httpGet', { 1: str('path'), 2: intOrString('port'), 3: str('host'), 4: str('scheme'), 5: msg('httpHeaders', { 1: str('name'), 2: str('value') }, true) }),
  3: msg('tcpSocket', { 1: intOrString('port'), 2: str('host') }),
  4: msg('grpc', { 1: i32('port'), 2: str('service') }),
};

const probe: MessageSpec = {
  strict: 'Probe',
  1: { name: 'handler', type: probeHandler, inline: true },
  2: i32('initialDelaySeconds'),
  3: i32('timeoutSeconds'),
  4: i32('periodSeconds'),
  5: i32('successThreshold'),
  6: i32('failureThreshold'),
  7: i64('terminationGracePeriodSeconds', true),
};

const container: MessageSpec = {
  strict: 'Container',
  1: str('name'),
  2: str('image'),
  3: strs('command'),
  4: strs('args'),
  5: str('workingDir'),
  6: msg('ports', containerPort, true),
  7: msg('env', envVar, true),
  8: msg('resources', resources),
  9: msg('volumeMounts', volumeMount, true),
  10: msg('livenessProbe', probe),
  11: msg('readinessProbe', probe),
  13: str('terminationMessagePath'),
  14: str('imagePullPolicy'),
  16: flag('stdin'),
  17: flag('stdinOnce'),
  18: flag('tty'),
  19: msg('envFrom', envFrom, true),
  20: str('terminationMessagePolicy'),
  22: msg('startupProbe', probe),
  24: str('restartPolicy'),
};

const keyToPath: MessageSpec = { 1: str('key'), 2: str('path'), 3: i32('mode', true) };

const volume: MessageSpec = {
  strict: 'Volume',
  1: str('name'),
  // VolumeSource is embedded: its fields sit at the volume's level in JSON.
  2: {
    name: 'volumeSource',
    inline: true,
    type: {
      strict: 'VolumeSource',
      1: msg('hostPath', { 1: str('path'), 2: str('type') }),
      2: msg('emptyDir', { strict: 'EmptyDirVolumeSource', 1: str('medium') }),
      6: msg('secret', { 1: str('secretName'), 2: msg('items', keyToPath, true), 3: i32('defaultMode', true), 4: optBool('optional') }),
      19: msg('configMap', { 1: { name: 'localObjectReference', type: localRef, inline: true }, 2: msg('items', keyToPath, true), 3: i32('defaultMode', true), 4: optBool('optional') }),
    },
  },
};

const toleration: MessageSpec = { strict: 'Toleration', 1: str('key'), 2: str('operator'), 3: str('value'), 4: str('effect'), 5: i64('tolerationSeconds', true) };

const podSpec: MessageSpec = {
  strict: 'PodSpec',
  1: msg('volumes', volume, true),
  2: msg('containers', container, true),
  3: str('restartPolicy'),
  4: i64('terminationGracePeriodSeconds', true),
  5: i64('activeDeadlineSeconds', true),
  6: str('dnsPolicy'),
  7: map('nodeSelector'),
  8: str('serviceAccountName'),
  9: str('serviceAccount'),
  10: str('nodeName'),
  11: flag('hostNetwork'),
  12: flag('hostPID'),
  13: flag('hostIPC'),
  // PodSecurityContext: kubectl's generators send it empty.
  14: msg('securityContext', { strict: 'PodSecurityContext' }),
  15: msg('imagePullSecrets', localRef, true),
  16: str('hostname'),
  17: str('subdomain'),
  19: str('schedulerName'),
  20: msg('initContainers', container, true),
  21: optBool('automountServiceAccountToken'),
  22: msg('tolerations', toleration, true),
  24: str('priorityClassName'),
  25: i32('priority', true),
  27: optBool('shareProcessNamespace'),
  28: msg('readinessGates', { 1: str('conditionType') }, true),
  29: str('runtimeClassName'),
  30: optBool('enableServiceLinks'),
  31: str('preemptionPolicy'),
  35: optBool('setHostnameAsFQDN'),
  37: optBool('hostUsers'),
  38: msg('schedulingGates', { 1: str('name') }, true),
};

export interface BaseMessages {
  objectMeta: MessageSpec;
  objectReference: MessageSpec;
  selectorRequirement: MessageSpec;
}

/** Messages keyed by `apiVersion/kind`, built on the meta messages protobuf.ts defines. */
export function workloadMessages(base: BaseMessages): Record<string, MessageSpec> {
  const { objectMeta, objectReference, selectorRequirement } = base;
  const labelSelector: MessageSpec = { 1: map('matchLabels'), 2: msg('matchExpressions', selectorRequirement, true) };
  const podTemplateSpec: MessageSpec = { strict: 'PodTemplateSpec', 1: msg('metadata', objectMeta), 2: msg('spec', podSpec) };

  const deploymentSpec: MessageSpec = {
    strict: 'DeploymentSpec',
    1: i32('replicas', true),
    2: msg('selector', labelSelector),
    3: msg('template', podTemplateSpec),
    4: msg('strategy', { 1: str('type'), 2: msg('rollingUpdate', { 1: intOrString('maxUnavailable'), 2: intOrString('maxSurge') }) }),
    5: i32('minReadySeconds'),
    6: i32('revisionHistoryLimit', true),
    7: flag('paused'),
    9: i32('progressDeadlineSeconds', true),
  };

  const jobSpec: MessageSpec = {
    strict: 'JobSpec',
    1: i32('parallelism', true),
    2: i32('completions', true),
    3: i64('activeDeadlineSeconds', true),
    4: msg('selector', labelSelector),
    5: optBool('manualSelector'),
    6: msg('template', podTemplateSpec),
    7: i32('backoffLimit', true),
    8: i32('ttlSecondsAfterFinished', true),
    9: str('completionMode'),
    10: optBool('suspend'),
    12: i32('backoffLimitPerIndex', true),
    13: i32('maxFailedIndexes', true),
    14: str('podReplacementPolicy'),
    15: str('managedBy'),
  };

  const cronJobSpec: MessageSpec = {
    strict: 'CronJobSpec',
    1: str('schedule'),
    2: i64('startingDeadlineSeconds', true),
    3: str('concurrencyPolicy'),
    4: optBool('suspend'),
    5: msg('jobTemplate', { 1: msg('metadata', objectMeta), 2: msg('spec', jobSpec) }),
    6: i32('successfulJobsHistoryLimit', true),
    7: i32('failedJobsHistoryLimit', true),
    8: str('timeZone'),
  };

  const serviceSpec: MessageSpec = {
    strict: 'ServiceSpec',
    1: msg('ports', { 1: str('name'), 2: str('protocol'), 3: i32('port'), 4: intOrString('targetPort'), 5: i32('nodePort'), 6: str('appProtocol') }, true),
    2: map('selector'),
    3: str('clusterIP'),
    4: str('type'),
    5: strs('externalIPs'),
    7: str('sessionAffinity'),
    8: str('loadBalancerIP'),
    9: strs('loadBalancerSourceRanges'),
    10: str('externalName'),
    11: str('externalTrafficPolicy'),
    12: i32('healthCheckNodePort'),
    13: flag('publishNotReadyAddresses'),
    17: strs('ipFamilies'),
    18: strs('clusterIPs'),
    19: str('ipFamilyPolicy'),
    20: optBool('allocateLoadBalancerNodePorts'),
    21: str('loadBalancerClass'),
    22: str('internalTrafficPolicy'),
    23: str('trafficDistribution'),
  };

  const ingressBackend: MessageSpec = {
    strict: 'IngressBackend',
    3: msg('resource', { 1: str('apiGroup'), 2: str('kind'), 3: str('name') }),
    4: msg('service', { 1: str('name'), 2: msg('port', { 1: str('name'), 2: i32('number') }) }),
  };
  const ingressSpec: MessageSpec = {
    strict: 'IngressSpec',
    1: msg('defaultBackend', ingressBackend),
    2: msg('tls', { 1: strs('hosts'), 2: str('secretName') }, true),
    3: msg(
      'rules',
      {
        1: str('host'),
        2: { name: 'ingressRuleValue', type: { 1: msg('http', { 1: msg('paths', { 1: str('path'), 2: msg('backend', ingressBackend), 3: str('pathType') }, true) }) }, inline: true },
      },
      true,
    ),
    4: str('ingressClassName'),
  };

  // Status messages are accepted and dropped: kubectl sends them empty and the server owns status.
  const anyStatus: MessageSpec = {};
  void objectReference;
  return {
    'apps/v1/Deployment': { 1: msg('metadata', objectMeta), 2: msg('spec', deploymentSpec), 3: msg('status', anyStatus) },
    'batch/v1/Job': { 1: msg('metadata', objectMeta), 2: msg('spec', jobSpec), 3: msg('status', anyStatus) },
    'batch/v1/CronJob': { 1: msg('metadata', objectMeta), 2: msg('spec', cronJobSpec), 3: msg('status', anyStatus) },
    'v1/Service': { 1: msg('metadata', objectMeta), 2: msg('spec', serviceSpec), 3: msg('status', anyStatus) },
    'networking.k8s.io/v1/Ingress': { 1: msg('metadata', objectMeta), 2: msg('spec', ingressSpec), 3: msg('status', anyStatus) },
  };
}
