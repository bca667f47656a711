// Aggregated ClusterRoles: rules gathered from the roles the selectors
// match, in name order without duplicates, kept current as roles change.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/object.js';
import { rbacDefinitions } from '../../api/rbac/index.js';
import { eventually, startTestApi } from '../../client/testing.js';
import { aggregatedRules, clusterRoleAggregationController, CLUSTER_ROLES } from './clusterrole-aggregation-controller.js';

const role = (name: string, labels: Record<string, string>, rules: unknown[], aggregate?: string): KObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name, labels },
  rules,
  ...(aggregate ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [aggregate]: 'true' } }] } } : {}),
});

const r1 = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
const r2 = { verbs: ['list'], apiGroups: ['kuma.io'], resources: ['workloads'] };

test('aggregatedRules: matching roles in name order, duplicates dropped, itself excluded', () => {
  const agg = role('agg', { 'to-agg': 'true' }, [{ verbs: ['x'], apiGroups: [''], resources: ['stale'] }], 'to-agg');
  const all = [agg, role('b', { 'to-agg': 'true' }, [r2, r1]), role('a', { 'to-agg': 'true' }, [r1]), role('c', {}, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }])];
  assert.deepEqual(aggregatedRules(agg, all), [r1, r2]);
});

test('the controller fills an aggregated role and follows label and rule changes', async (t) => {
  const api = await startTestApi(rbacDefinitions);
  const ac = new AbortController();
  t.after(async () => {
    ac.abort();
    await api.close();
  });
  const roles = api.client.resource(CLUSTER_ROLES);
  await roles.create(undefined, role('view', {}, [], 'to-view'));
  await roles.create(undefined, role('pods', { 'to-view': 'true' }, [r1]));
  const done = clusterRoleAggregationController(api.client, {}).start(ac.signal);
  const rulesOf = async () => ((await roles.get(undefined, 'view'))?.rules ?? []) as unknown[];
  const until = (want: unknown[]) => eventually(async () => JSON.stringify(await rulesOf()) === JSON.stringify(want), `rules ${JSON.stringify(want)}`);
  await until([r1]);
  await roles.create(undefined, role('workloads', { 'to-view': 'true' }, [r2]));
  await until([r1, r2]);
  await roles.patch(undefined, 'pods', 'merge', { metadata: { labels: { 'to-view': null } } });
  await until([r2]);
  await roles.delete(undefined, 'workloads');
  await until([]);
  ac.abort();
  await done;
});
