// Pod and Deployment body schemas for the patch tests, written the way
// definitions write them (TypeBox, kube's extension keywords as options), with
// the merge hints kube's own types carry.

import { Type } from '@sinclair/typebox';
import type { TSchema } from '@sinclair/typebox';

const d = (description: string) => ({ description });

const keyed = (item: TSchema, key: string, extra: Record<string, unknown> = {}) =>
  Type.Array(item, {
    description: 'keyed list',
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': [key],
    'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-patch-merge-key': key,
    ...extra,
  });

const EnvVar = Type.Object({ name: Type.String(d('name')), value: Type.Optional(Type.String(d('value'))) }, d('env var'));

const ContainerPort = Type.Object(
  {
    name: Type.Optional(Type.String(d('name'))),
    containerPort: Type.Integer(d('port')),
    protocol: Type.Optional(Type.String({ description: 'protocol', default: 'TCP' })),
  },
  d('port'),
);

const Container = Type.Object(
  {
    name: Type.String(d('name')),
    image: Type.Optional(Type.String(d('image'))),
    args: Type.Optional(Type.Array(Type.String(), { description: 'args', 'x-kubernetes-list-type': 'atomic' })),
    env: Type.Optional(keyed(EnvVar, 'name')),
    ports: Type.Optional(
      Type.Array(ContainerPort, {
        description: 'ports',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'containerPort',
      }),
    ),
    resources: Type.Optional(
      Type.Object({ limits: Type.Optional(Type.Record(Type.String(), Type.String(), d('limits'))) }, d('resources')),
    ),
  },
  d('container'),
);

const Volume = Type.Object(
  {
    name: Type.String(d('name')),
    emptyDir: Type.Optional(Type.Object({ medium: Type.Optional(Type.String(d('medium'))) }, d('emptyDir'))),
    hostPath: Type.Optional(Type.Object({ path: Type.String(d('path')) }, d('hostPath'))),
  },
  d('volume'),
);

export const PodSpec = Type.Object(
  {
    containers: keyed(Container, 'name'),
    initContainers: Type.Optional(keyed(Container, 'name')),
    volumes: Type.Optional(keyed(Volume, 'name', { 'x-kubernetes-patch-strategy': 'merge,retainKeys' })),
    tolerations: Type.Optional(Type.Array(Type.Object({ key: Type.Optional(Type.String(d('key'))) }, d('toleration')), d('tolerations'))),
    nodeSelector: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'selector', 'x-kubernetes-map-type': 'atomic' })),
    restartPolicy: Type.Optional(Type.String(d('policy'))),
  },
  d('pod spec'),
);

export const podSchema = Type.Object(
  {
    spec: Type.Optional(PodSpec),
    status: Type.Optional(Type.Object({ phase: Type.Optional(Type.String(d('phase'))) }, d('status'))),
  },
  d('pod'),
);

export const deploymentSchema = Type.Object(
  {
    spec: Type.Optional(
      Type.Object(
        {
          replicas: Type.Optional(Type.Integer(d('replicas'))),
          paused: Type.Optional(Type.Boolean(d('paused'))),
          selector: Type.Optional(Type.Object({ matchLabels: Type.Optional(Type.Record(Type.String(), Type.String(), d('labels'))) }, d('selector'))),
          strategy: Type.Optional(
            Type.Object(
              {
                type: Type.Optional(Type.String(d('type'))),
                rollingUpdate: Type.Optional(Type.Object({ maxSurge: Type.Optional(Type.Union([Type.Integer(), Type.String()], d('surge'))) }, d('ru'))),
              },
              { description: 'strategy', 'x-kubernetes-patch-strategy': 'retainKeys' },
            ),
          ),
          template: Type.Optional(
            Type.Object(
              {
                metadata: Type.Optional(Type.Object({ labels: Type.Optional(Type.Record(Type.String(), Type.String(), d('labels'))) }, d('meta'))),
                spec: Type.Optional(PodSpec),
              },
              d('template'),
            ),
          ),
        },
        d('spec'),
      ),
    ),
    status: Type.Optional(Type.Object({ replicas: Type.Optional(Type.Integer(d('replicas'))) }, d('status'))),
  },
  d('deployment'),
);

/** A custom kind whose spec keeps unknown fields (open schema: lists are atomic). */
export const openSchema = Type.Object(
  { spec: Type.Optional(Type.Object({}, { description: 'open', 'x-kubernetes-preserve-unknown-fields': true })) },
  d('open'),
);
