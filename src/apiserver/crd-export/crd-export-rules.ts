// Checks the built-in strategies make in code, restated for the generated CRDs
// as CEL rules (x-kubernetes-validations) and schema bounds, with the built-in
// messages where CEL can carry them. What CEL cannot say is listed in
// NOT_EXPRESSIBLE, so `workplane crds` can tell its reader.

type Rule = { rule: string; message?: string; messageExpression?: string; fieldPath?: string; reason?: string };

export interface ExportRule {
  /** Dotted property path from the root (`spec.podGroups.[].policy`); `[]` steps into array items. */
  path: string;
  cel?: Rule[];
  schema?: Record<string, unknown>;
}

const DNS1123_LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const IMMUTABLE: Rule = { rule: 'self == oldSelf', message: 'field is immutable' };

const RULES: Record<string, ExportRule[]> = {
  'scheduling.k8s.io/Workload': [
    { path: 'spec', schema: { required: ['podGroups'] } },
    { path: 'spec.podGroups', schema: { minItems: 1, maxItems: 8 }, cel: [IMMUTABLE] },
    {
      path: 'spec.podGroups.[]',
      cel: [{ rule: "size(self.name) <= 63 && self.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')", message: DNS1123_LABEL, fieldPath: '.name' }],
    },
    { path: 'spec.podGroups.[]', schema: { required: ['name', 'policy'] } },
    // Bounds keep the rules' estimated CEL cost within kube's budget.
    { path: 'spec.podGroups.[].name', schema: { maxLength: 253 } },
    {
      path: 'spec.podGroups.[].policy',
      cel: [
        { rule: 'has(self.basic) || has(self.gang)', message: 'exactly one of `basic`, `gang` is required', reason: 'FieldValueRequired' },
        { rule: '!(has(self.basic) && has(self.gang))', message: 'exactly one of `basic`, `gang` is required, but multiple fields are set' },
      ],
    },
    { path: 'spec.podGroups.[].policy.gang', schema: { required: ['minCount'] }, cel: [{ rule: 'self.minCount > 0', message: 'must be greater than 0', fieldPath: '.minCount' }] },
    { path: 'spec.controllerRef', schema: { required: ['kind', 'name'] } },
    {
      path: 'spec',
      cel: [{ rule: '!has(oldSelf.controllerRef) || (has(self.controllerRef) && self.controllerRef == oldSelf.controllerRef)', message: 'field is immutable', fieldPath: '.controllerRef' }],
    },
  ],
  'compute.miloapis.com/Workload': [
    { path: 'spec', schema: { required: ['template'] } },
    { path: 'spec.replicas', schema: { minimum: 0 } },
    {
      path: 'spec',
      cel: [
        {
          rule:
            '!has(self.selector) || !has(self.selector.matchLabels) || (has(self.template.metadata) && has(self.template.metadata.labels) && ' +
            'self.selector.matchLabels.all(k, k in self.template.metadata.labels && self.template.metadata.labels[k] == self.selector.matchLabels[k]))',
          message: '`selector` does not match template `labels`',
          fieldPath: '.template.metadata.labels',
        },
        {
          rule: '!has(self.selector) || (has(self.selector.matchLabels) && size(self.selector.matchLabels) > 0) || (has(self.selector.matchExpressions) && size(self.selector.matchExpressions) > 0)',
          message: 'empty selector is invalid for workload',
          fieldPath: '.selector',
        },
      ],
    },
    { path: 'spec.selector', cel: [IMMUTABLE] },
    { path: 'spec.selector.matchLabels', schema: { maxProperties: 256 } },
    { path: 'spec.template.spec', cel: [{ rule: "!has(self.restartPolicy) || self.restartPolicy == 'Always'", message: 'supported values: "Always"', fieldPath: '.restartPolicy', reason: 'FieldValueForbidden' }] },
    { path: 'spec.networkRef', schema: { required: ['name'] } },
  ],
  'compute.miloapis.com/Network': [{ path: 'spec.ipam.cidr', cel: [IMMUTABLE] }],
};

export function exportRulesFor(group: string, kind: string): ExportRule[] {
  return RULES[`${group}/${kind}`] ?? [];
}

/** Checks of the built-in kinds that stay behind in Workplane's own strategies and admission. */
export const NOT_EXPRESSIBLE: Record<string, string[]> = {
  'kuma.io/Workload': ['manual creation is refused (admission: only the control plane writes Workloads)', 'MESH column shows blank instead of `default` when the kuma.io/mesh label is unset'],
  'kuma.io/Dataplane': ['mesh/workload label checks and inbound port rules done in code', 'INBOUNDS column (a count)'],
  'kuma.io/MeshIdentity': ['SPIFFE ID templates (Go template syntax and variables) and duration parsing', 'TRUST DOMAIN column shows blank instead of the default template when unset'],
  'kuma.io/MeshTrust': ['BUNDLES column (a count)'],
  'compute.miloapis.com/Workload': [
    'the project namespace (`project-<name>`): CEL sees only metadata.name and generateName',
    'defaulting of the selector and template labels from each other, and kube pod-spec defaults on the template (not plain schema defaults)',
    'full pod template validation (kube ValidatePodSpec) and matchExpressions operators of the selector',
  ],
  'compute.miloapis.com/Network': ['CIDR syntax and prefix-length checks; the default CIDR fills the whole path only in code'],
  'resourcemanager.miloapis.com/Project': ['creating the project namespace (a controller, not validation)'],
  'scheduling.k8s.io/Workload': ['controllerRef.apiGroup / kind / name format checks (DNS subdomain, path segment)'],
};
