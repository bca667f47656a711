// Behaviour every runtime owes the node agent, as one suite each runtime's
// tests run: what a changed container definition (a new image from a pod
// patch or `kubectl set image`) does to a running container, to one that is
// done for good, and to its neighbours.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { eventually } from '../../client/testing.js';
import type { ContainerRuntimeStatus, PodLaunch, Runtime } from './types.js';

/** A container the runtime runs until it is stopped, or one that exits 0 at once. */
export interface ContractContainer {
  name: string;
  image: string;
  behaviour: 'runs' | 'exits';
}

export interface ContractHarness {
  runtime(): Runtime;
  /** A pod (a fresh uid on each call) whose containers behave as asked. */
  launch(containers: ContractContainer[], restartPolicy: PodLaunch['restartPolicy']): PodLaunch;
}

const withImage = (l: PodLaunch, name: string, image: string): PodLaunch => ({
  ...l,
  containers: l.containers.map((c) => (c.name === name ? { ...c, image } : c)),
});

export function runtimeContract(h: ContractHarness): void {
  const of = (l: PodLaunch, name: string): ContainerRuntimeStatus => h.runtime().status(l.uid)!.containers.find((c) => c.name === name)!;
  const running = (l: PodLaunch, name: string) => 'running' in (h.runtime().status(l.uid)?.containers.find((c) => c.name === name)?.state ?? {});

  it('contract: a new image restarts only that container, whatever the restart policy', async () => {
    const rt = h.runtime();
    const pod = h.launch([{ name: 'web', image: 'nginx:1.25', behaviour: 'runs' }, { name: 'side', image: 'busybox', behaviour: 'runs' }], 'Never');
    rt.sync(pod);
    await eventually(() => running(pod, 'web') && running(pod, 'side'), 'both running');
    const before = of(pod, 'web');
    const side = of(pod, 'side');
    assert.equal(before.image, 'nginx:1.25');
    assert.equal(before.restartCount, 0);

    rt.sync(withImage(pod, 'web', 'nginx:1.26'));
    await eventually(() => running(pod, 'web') && of(pod, 'web').restartCount === 1, 'restarted with the new image');
    const after = of(pod, 'web');
    assert.equal(after.image, 'nginx:1.26');
    assert.notEqual(after.containerID, before.containerID);
    assert.ok(after.lastState && 'terminated' in after.lastState, 'the old run is the last state');
    const startedAt = (c: ContainerRuntimeStatus) => Date.parse('running' in c.state ? c.state.running.startedAt : '');
    assert.ok(startedAt(after) >= startedAt(before));
    if (before.imageID) assert.notEqual(after.imageID, before.imageID);
    assert.equal(rt.status(pod.uid)!.terminalPhase, undefined);

    const neighbour = of(pod, 'side');
    assert.equal(neighbour.containerID, side.containerID);
    assert.equal(neighbour.restartCount, 0);

    // The same image again is no change.
    rt.sync(withImage(pod, 'web', 'nginx:1.26'));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(of(pod, 'web').containerID, after.containerID);
  });

  it('contract: a container done for good stays done when its image changes', async () => {
    const rt = h.runtime();
    const pod = h.launch([{ name: 'job', image: 'tool:1', behaviour: 'exits' }, { name: 'web', image: 'nginx:1.25', behaviour: 'runs' }], 'Never');
    rt.sync(pod);
    await eventually(() => 'terminated' in (of(pod, 'job')?.state ?? {}) && running(pod, 'web'), 'job done, web running');
    const done = of(pod, 'job');
    rt.sync(withImage(pod, 'job', 'tool:2'));
    await new Promise((r) => setTimeout(r, 50));
    const still = of(pod, 'job');
    assert.equal(still.containerID, done.containerID);
    assert.equal(still.restartCount, 0);
    assert.deepEqual(still.state, done.state);
  });
}
