// Pod volumes. Each source is modelled by its common fields and keeps the rest
// as sent, so less common options survive without being modelled here.

import { Type, type TProperties } from '@sinclair/typebox';
import { bool, int32, listOf, opt, str } from './builders.js';

const open = (description: string, props: TProperties = {}, extra: Record<string, unknown> = {}) =>
  Type.Object(props, { description, 'x-kubernetes-preserve-unknown-fields': true, ...extra });

const keyToPath = listOf(
  'Keys to project and the file paths they become; without it every key becomes a file.',
  open('Projects one key to a path (`key`, `path`, `mode`).'),
  { listType: 'atomic' },
);

const defaultMode = (what: string) => opt(int32(`File mode bits for ${what} files (0-0777).`, { default: 420 }));

export const VolumeSchema = Type.Object(
  {
    name: opt(str('Name of the volume, a DNS label unique within the pod; mounts refer to it.')),
    emptyDir: opt(
      open('A scratch directory that lives as long as the pod.', {
        medium: opt(str('`""` for node storage or `Memory` for tmpfs.')),
        sizeLimit: opt(Type.Unsafe({ description: 'Most storage the directory may use.', 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] })),
      }),
    ),
    secret: opt(
      open('Files from the keys of a Secret.', {
        secretName: opt(str('Name of the Secret in the pod namespace.')),
        items: opt(keyToPath),
        defaultMode: defaultMode('Secret'),
        optional: opt(bool('True lets the pod start when the Secret is missing.')),
      }),
    ),
    configMap: opt(
      open('Files from the keys of a ConfigMap.', {
        name: opt(str('Name of the ConfigMap in the pod namespace.')),
        items: opt(keyToPath),
        defaultMode: defaultMode('ConfigMap'),
        optional: opt(bool('True lets the pod start when the ConfigMap is missing.')),
      }),
    ),
    hostPath: opt(
      open('A file or directory of the node (privileged use only).', {
        path: str('Path on the node.'),
        type: opt(str('Expected type of the path (`Directory`, `File`, `DirectoryOrCreate`...); empty skips the check.')),
      }, { required: ['path'] }),
    ),
    projected: opt(
      open('Several sources (secrets, configMaps, downwardAPI, serviceAccountToken) merged into one directory.', {
        sources: opt(listOf('The sources to project.', open('One projected source.'), { listType: 'atomic' })),
        defaultMode: defaultMode('projected'),
      }),
    ),
    persistentVolumeClaim: opt(
      open('A PersistentVolumeClaim in the pod namespace.', {
        claimName: str('Name of the claim.'),
        readOnly: opt(bool('Mounts the claim read-only.')),
      }, { required: ['claimName'] }),
    ),
    downwardAPI: opt(
      open('Files with pod fields (labels, annotations, resources).', {
        items: opt(listOf('Files to create.', open('One downward API file (`path`, `fieldRef`, `resourceFieldRef`, `mode`).'), { listType: 'atomic' })),
        defaultMode: defaultMode('downward API'),
      }),
    ),
    nfs: opt(open('An NFS export.')),
    csi: opt(open('An ephemeral volume from a CSI driver.')),
    ephemeral: opt(open('A volume backed by a claim created for and deleted with the pod.')),
    image: opt(open('The contents of an OCI image or artifact.')),
  },
  { description: 'A named volume that containers of the pod can mount; exactly one source is set.' },
);

/** Source fields of a volume, for the "exactly one" rule. */
export const VOLUME_SOURCES = ['emptyDir', 'secret', 'configMap', 'hostPath', 'projected', 'persistentVolumeClaim', 'downwardAPI', 'nfs', 'csi', 'ephemeral', 'image'] as const;
