// Container schema (used for both `containers` and `initContainers`): image,
// command, environment, ports, resources, probes and mounts, with kube's list
// merge keys so strategic merge patches address items the way kubectl expects.

import { Type } from '@sinclair/typebox';
import { bool, int32, intOrString, listOf, openObject, opt, str, strEnum, stringList } from './builders.js';
import { ResourceRequirementsSchema } from './resources.js';

const keyRef = (what: string) =>
  Type.Object(
    {
      name: opt(str(`Name of the ${what}.`)),
      key: opt(str(`Key to read from the ${what}.`)),
      optional: opt(bool(`True lets the container start when the ${what} or key is missing.`)),
    },
    { description: `Selects one key of a ${what}.`, 'x-kubernetes-map-type': 'atomic' },
  );

export const EnvVarSchema = Type.Object(
  {
    name: opt(str('Name of the environment variable.')),
    value: opt(str('Literal value; `$(VAR)` references to earlier variables are expanded.')),
    valueFrom: opt(
      Type.Object(
        {
          fieldRef: opt(
            Type.Object(
              {
                apiVersion: opt(str('API version the field path is written in; defaults to `v1`.')),
                fieldPath: opt(str('Path of the pod field, e.g. `metadata.name` or `status.podIP`.')),
              },
              { description: 'Reads a field of the pod.', 'x-kubernetes-map-type': 'atomic' },
            ),
          ),
          resourceFieldRef: opt(
            Type.Object(
              {
                containerName: opt(str('Container whose resources are read; defaults to this one.')),
                resource: opt(str('Resource to read, e.g. `limits.cpu`.')),
                divisor: opt(intOrString('Unit the value is expressed in; defaults to 1.')),
              },
              { description: 'Reads a resource request or limit.', 'x-kubernetes-map-type': 'atomic' },
            ),
          ),
          configMapKeyRef: opt(keyRef('ConfigMap')),
          secretKeyRef: opt(keyRef('Secret')),
        },
        { description: 'Source of the value when it is not a literal; exactly one field is set.' },
      ),
    ),
  },
  { description: 'An environment variable of the container.' },
);

const sourceRef = (what: string) =>
  Type.Object(
    {
      name: opt(str(`Name of the ${what}.`)),
      optional: opt(bool(`True lets the container start when the ${what} is missing.`)),
    },
    { description: `Every key of the ${what} becomes a variable.` },
  );

export const EnvFromSourceSchema = Type.Object(
  {
    prefix: opt(str('Prefix prepended to every variable name taken from the source.')),
    configMapRef: opt(sourceRef('ConfigMap')),
    secretRef: opt(sourceRef('Secret')),
  },
  { description: 'A source of many environment variables.' },
);

export const ContainerPortSchema = Type.Object(
  {
    name: opt(str('IANA service name of the port, unique within the pod, referable by services and probes.')),
    containerPort: opt(int32('Port number the container listens on (1-65535).')),
    protocol: opt(str('`TCP` (default), `UDP` or `SCTP`.', { default: 'TCP' })),
    hostPort: opt(int32('Port exposed on the node; rarely needed.')),
    hostIP: opt(str('Node IP the host port binds to.')),
  },
  { description: 'A network port of the container.' },
);

export const VolumeMountSchema = Type.Object(
  {
    name: opt(str('Name of the pod volume to mount.')),
    mountPath: opt(str('Path inside the container where the volume appears; must not contain `:`.')),
    readOnly: opt(bool('Mounts the volume read-only.')),
    subPath: opt(str('Path inside the volume to mount instead of its root.')),
    subPathExpr: opt(str('Like subPath, with `$(VAR)` expansion from the environment.')),
    mountPropagation: opt(str('How mounts propagate between host and container.')),
    recursiveReadOnly: opt(str('Whether read-only mounts are made recursively read-only.')),
  },
  { description: 'Where a volume is mounted in the container.' },
);

const HttpGetSchema = Type.Object(
  {
    path: opt(str('HTTP path to request.', { default: '/' })),
    port: intOrString('Port number or name to connect to.'),
    host: opt(str('Host to connect to; defaults to the pod IP.')),
    scheme: opt(strEnum('`HTTP` or `HTTPS`.', ['HTTP', 'HTTPS'], { default: 'HTTP' })),
    httpHeaders: opt(
      listOf(
        'Extra request headers.',
        Type.Object(
          { name: str('Header name.'), value: str('Header value.') },
          { description: 'An HTTP header.', required: ['name', 'value'] },
        ),
        { listType: 'atomic' },
      ),
    ),
  },
  { description: 'Succeeds when a GET answers with a status in 200-399.', required: ['port'] },
);

export const ProbeSchema = Type.Object(
  {
    exec: opt(
      Type.Object(
        { command: opt(stringList('Command run in the container; exit status 0 means healthy.')) },
        { description: 'Runs a command in the container.' },
      ),
    ),
    httpGet: opt(HttpGetSchema),
    tcpSocket: opt(
      Type.Object(
        { port: intOrString('Port number or name to connect to.'), host: opt(str('Host to connect to; defaults to the pod IP.')) },
        { description: 'Succeeds when a TCP connection opens.', required: ['port'] },
      ),
    ),
    grpc: opt(
      Type.Object(
        { port: int32('Port of the gRPC health service.'), service: opt(str('Service name sent in the health check request.')) },
        { description: 'Calls the gRPC health checking protocol.', required: ['port'] },
      ),
    ),
    initialDelaySeconds: opt(int32('Seconds after the container starts before the first probe.')),
    timeoutSeconds: opt(int32('Seconds before a probe attempt times out.', { default: 1 })),
    periodSeconds: opt(int32('Seconds between probe attempts.', { default: 10 })),
    successThreshold: opt(int32('Consecutive successes that count as success after a failure; must be 1 for liveness and startup.', { default: 1 })),
    failureThreshold: opt(int32('Consecutive failures that count as failure.', { default: 3 })),
    terminationGracePeriodSeconds: opt(Type.Integer({ description: 'Grace period used when a failed probe kills the container.', format: 'int64' })),
  },
  { description: 'A health check the node runs against the container; exactly one handler is set.' },
);

export const ContainerSchema = Type.Object(
  {
    name: opt(str('Name of the container, a DNS label unique within the pod.')),
    image: opt(str('Container image reference, e.g. `nginx:1.27`.')),
    command: opt(stringList("Entrypoint; replaces the image's ENTRYPOINT.")),
    args: opt(stringList("Arguments to the entrypoint; replace the image's CMD.")),
    workingDir: opt(str("Working directory; defaults to the image's.")),
    ports: opt(
      listOf('Ports the container exposes (informational, except for hostPort).', ContainerPortSchema, {
        mapKeys: ['containerPort', 'protocol'],
        mergeKey: 'containerPort',
        patchStrategy: 'merge',
      }),
    ),
    envFrom: opt(listOf('Sources whose keys all become environment variables.', EnvFromSourceSchema, { listType: 'atomic' })),
    env: opt(listOf('Environment variables.', EnvVarSchema, { mapKeys: ['name'], patchStrategy: 'merge' })),
    resources: opt(ResourceRequirementsSchema),
    resizePolicy: opt(
      listOf('How each resource may be resized in place.', openObject('A resize policy for one resource.'), { listType: 'atomic' }),
    ),
    restartPolicy: opt(str('For init containers, `Always` makes it a sidecar that runs for the life of the pod.')),
    volumeMounts: opt(
      listOf('Pod volumes mounted into the container.', VolumeMountSchema, {
        mapKeys: ['mountPath'],
        patchStrategy: 'merge',
      }),
    ),
    volumeDevices: opt(
      listOf('Block devices used by the container.', openObject('A block device mapping (`name`, `devicePath`).'), {
        mergeKey: 'devicePath',
        patchStrategy: 'merge',
      }),
    ),
    livenessProbe: opt(ProbeSchema),
    readinessProbe: opt(ProbeSchema),
    startupProbe: opt(ProbeSchema),
    lifecycle: opt(openObject('Actions run after start (`postStart`) and before stop (`preStop`).')),
    terminationMessagePath: opt(
      str('File the container writes its termination message to.', { default: '/dev/termination-log' }),
    ),
    terminationMessagePolicy: opt(
      str('`File`, or `FallbackToLogsOnError` to use the log tail when the file is empty.', { default: 'File' }),
    ),
    imagePullPolicy: opt(
      str('`Always`, `Never` or `IfNotPresent`; defaults to Always for `:latest` or untagged images, else IfNotPresent.'),
    ),
    securityContext: opt(openObject('Security options for the container (user, capabilities, privilege).')),
    stdin: opt(bool('Allocates a stdin buffer for the container.')),
    stdinOnce: opt(bool('Closes stdin after the first attach session ends.')),
    tty: opt(bool('Allocates a TTY; needs stdin.')),
  },
  { description: 'A container run in the pod.' },
);
