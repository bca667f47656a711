// What a node agent says about a node: its labels at registration and its
// status (capacity, the four kubelet conditions, addresses, nodeInfo), shaped
// as kubelet reports them so `kubectl get/describe nodes` reads naturally.

import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { KObject } from '../api/object.js';

export const KUBELET_VERSION = 'v1.32.0-workplane';

/** Every node says which runtime runs its pods, so pods can select one (`nodeSelector`). */
export const RUNTIME_LABEL = 'workplane.dev/runtime';

/**
 * Process nodes run container commands, not images: an ordinary pod (`kubectl run
 * web --image=nginx`) cannot run there, so only pods that tolerate this taint are
 * scheduled to them, as with other special-purpose nodes (GPUs, virtual kubelets).
 */
export const PROCESS_RUNTIME_TAINT = { key: RUNTIME_LABEL, value: 'process', effect: 'NoSchedule' } as const;

/** The taints a node of this runtime registers with when none are given. */
export function defaultTaints(runtime: NodeTemplate['runtime']): Record<string, unknown>[] {
  return runtime === 'process' ? [{ ...PROCESS_RUNTIME_TAINT }] : [];
}

export interface NodeTemplate {
  runtime: 'simulated' | 'process';
  cpu: string;
  memory: string;
  pods: string;
  labels: Record<string, string>;
  taints: Record<string, unknown>[];
  /** daemonEndpoints.kubeletEndpoint.Port: where the agent serves logs (0: none). */
  kubeletPort: number;
}

type Condition = Record<string, string>;

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
export const nodeArch = (): string => ARCH[process.arch] ?? process.arch;

let osImage: string | undefined;
function hostOsImage(): string {
  if (osImage !== undefined) return osImage;
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    osImage = m?.[1] ?? '';
  } catch {
    osImage = '';
  }
  return (osImage ||= `${os.type()} ${os.release()}`);
}

/** Differs per agent process, as a boot ID differs per boot. */
const BOOT_ID = randomUUID();

export function nodeLabels(name: string, t: NodeTemplate): Record<string, string> {
  return {
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': nodeArch(),
    type: t.runtime,
    [RUNTIME_LABEL]: t.runtime,
    ...t.labels,
  };
}

const CONDITIONS: [type: string, status: string, reason: string, message: string][] = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

/** The agent's conditions, keeping each one's lastTransitionTime while its status holds. */
export function nodeConditions(previous: unknown, now: string): Condition[] {
  const old = new Map<string, Condition>();
  if (Array.isArray(previous)) for (const c of previous as Condition[]) if (c && typeof c.type === 'string') old.set(c.type, c);
  return CONDITIONS.map(([type, status, reason, message]) => {
    const was = old.get(type);
    const lastTransitionTime = was?.status === status && was.lastTransitionTime ? was.lastTransitionTime : now;
    return { type, status, lastHeartbeatTime: now, lastTransitionTime, reason, message };
  });
}

/** The whole status an agent writes for a node. */
export function nodeStatus(node: { name: string; internalIP: string }, t: NodeTemplate, previousConditions: unknown, now: string): Record<string, unknown> {
  const resources = { cpu: t.cpu, memory: t.memory, pods: t.pods };
  const digest = createHash('md5').update(node.name).digest('hex');
  return {
    capacity: resources,
    allocatable: resources,
    conditions: nodeConditions(previousConditions, now),
    addresses: [
      { type: 'InternalIP', address: node.internalIP },
      { type: 'Hostname', address: node.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: t.kubeletPort } },
    nodeInfo: {
      machineID: digest,
      systemUUID: `${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-${digest.slice(16, 20)}-${digest.slice(20)}`,
      bootID: BOOT_ID,
      kernelVersion: os.release(),
      osImage: hostOsImage(),
      containerRuntimeVersion: `workplane://${t.runtime}`,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: nodeArch(),
    },
  };
}

/** True when the node's Ready condition is True (a lifecycle controller may have set Unknown). */
export function isNodeReady(node: KObject | undefined): boolean {
  const conds = (node?.status as { conditions?: Condition[] } | undefined)?.conditions;
  return !!conds?.some((c) => c.type === 'Ready' && c.status === 'True');
}
