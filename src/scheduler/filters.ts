// The filter plugins, in kube-scheduler's order and with its reasons:
// NodeUnschedulable, TaintToleration, NodeAffinity, NodeResourcesFit. A node
// fails at the first plugin that rejects it; that plugin's reasons (several
// for resources) are what the "0/N nodes are available" message counts.

import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import { firstUntolerated, TAINT_UNSCHEDULABLE, tolerates, type Taint } from './taints.js';

export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const REASON_TOO_MANY_PODS = 'Too many pods';
export const REASON_INSUFFICIENT_CPU = 'Insufficient cpu';
export const REASON_INSUFFICIENT_MEMORY = 'Insufficient memory';
export const untoleratedTaintReason = (t: Taint) => `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;

const CORDON: Taint = { key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' };

/**
 * True when `pod` may go to `node`. Without `reasons` it stops at the first
 * failed check (the hot path); with it, it records why the node was rejected.
 * Cheap checks come first; each is O(1) except taints and selectors, which
 * are short lists.
 */
export function fits(pod: PodInfo, node: NodeInfo, reasons?: string[]): boolean {
  if (node.unschedulable && !pod.tolerations.some((t) => tolerates(t, CORDON))) {
    reasons?.push(REASON_UNSCHEDULABLE);
    return false;
  }
  if (node.taints.length > 0) {
    const t = firstUntolerated(node.taints, pod.tolerations);
    if (t) {
      reasons?.push(untoleratedTaintReason(t));
      return false;
    }
  }
  if (pod.nodeMatcher && !pod.nodeMatcher(node.labels, node.name)) {
    reasons?.push(REASON_NODE_AFFINITY);
    return false;
  }
  return fitsResources(pod, node, reasons);
}

/** NodeResourcesFit: a resource the pod does not request is never insufficient. */
export function fitsResources(pod: PodInfo, node: NodeInfo, reasons?: string[]): boolean {
  let ok = true;
  if (node.pods + 1 > node.allocPods) {
    if (!reasons) return false;
    reasons.push(REASON_TOO_MANY_PODS);
    ok = false;
  }
  if (pod.cpu > 0 && pod.cpu > node.allocCpu - node.cpu) {
    if (!reasons) return false;
    reasons.push(REASON_INSUFFICIENT_CPU);
    ok = false;
  }
  if (pod.memory > 0 && pod.memory > node.allocMemory - node.memory) {
    if (!reasons) return false;
    reasons.push(REASON_INSUFFICIENT_MEMORY);
    ok = false;
  }
  return ok;
}
