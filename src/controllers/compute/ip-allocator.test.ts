// The address allocator: distinct addresses, stable per pod, released when
// pods go, rebuilt from pods' annotations, and a full block refuses.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IpAllocator } from './ip-allocator.js';
import { POD_IP_ANNOTATION, POD_NETWORK_ANNOTATION } from './resources.js';

const podWith = (name: string, ip: string) => ({
  metadata: { name, namespace: 'ns', annotations: { [POD_NETWORK_ANNOTATION]: 'net', [POD_IP_ANNOTATION]: ip } },
});

describe('IpAllocator', () => {
  it('hands out distinct usable addresses, the same one again for the same pod, none when full', () => {
    const a = new IpAllocator();
    const cidr = '10.0.0.0/30'; // two usable addresses
    assert.equal(a.allocate('ns', 'net', cidr, 'p1'), '10.0.0.1');
    assert.equal(a.allocate('ns', 'net', cidr, 'p1'), '10.0.0.1');
    assert.equal(a.allocate('ns', 'net', cidr, 'p2'), '10.0.0.2');
    assert.equal(a.allocate('ns', 'net', cidr, 'p3'), undefined);
    assert.equal(a.allocatedIn('ns/net', cidr), 2);
    a.release('ns', 'p1');
    assert.equal(a.allocate('ns', 'net', cidr, 'p3'), '10.0.0.1');
  });

  it('learns addresses pods already hold and skips them', () => {
    const a = new IpAllocator();
    const changed: string[] = [];
    a.onChange((k) => changed.push(k));
    a.observe(podWith('old', '10.0.0.1'));
    assert.equal(a.allocate('ns', 'net', '10.0.0.0/29', 'new'), '10.0.0.2');
    assert.equal(a.allocatedCount('ns/net'), 2);
    // A second pod claiming a taken address does not steal it.
    a.observe(podWith('dup', '10.0.0.1'));
    a.release('ns', 'dup');
    assert.equal(a.allocatedCount('ns/net'), 2);
    assert.deepEqual(changed, ['ns/net', 'ns/net']);
  });

  it('keeps networks and namespaces apart', () => {
    const a = new IpAllocator();
    assert.equal(a.allocate('ns1', 'net', '10.0.0.0/24', 'p'), '10.0.0.1');
    assert.equal(a.allocate('ns2', 'net', '10.0.0.0/24', 'p'), '10.0.0.1');
    assert.equal(a.allocatedCount('ns1/net'), 1);
  });
});
