// Test fixture in the style of a progressive-delivery Rollout: replicas of a
// pod template rolled out by a canary or blue-green strategy. Two served
// versions (conversion None), status and scale subresources, int-or-string
// fields with defaults, an embedded resource, transition rules (oldSelf) and a
// messageExpression. Written for these tests.

const versionSchema = (storage: boolean, name: string) => `  - name: ${name}
    served: true
    storage: ${storage}
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
        labelSelectorPath: .status.selector
    additionalPrinterColumns:
    - name: Desired
      type: integer
      jsonPath: .spec.replicas
    - name: Current
      type: integer
      jsonPath: .status.replicas
    - name: Up-to-date
      type: integer
      jsonPath: .status.updatedReplicas
    - name: Available
      type: integer
      jsonPath: .status.availableReplicas
    - name: Strategy
      type: string
      priority: 1
      jsonPath: .status.strategy
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        description: A Rollout runs replicas of a pod template and moves them to a new template step by step.
        type: object
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            type: object
            description: Desired state of the rollout.
            required: [selector, template]
            x-kubernetes-validations:
            - rule: "self.replicas <= 100"
              messageExpression: "'replicas ' + string(self.replicas) + ' exceeds the limit of 100'"
              fieldPath: .replicas
            - rule: "self.selector == oldSelf.selector"
              message: selector is immutable
              fieldPath: .selector
            properties:
              replicas:
                type: integer
                format: int32
                default: 1
                minimum: 0
                description: Desired number of pods.
              revisionHistoryLimit:
                type: integer
                default: 10
                description: Old revisions kept.
              paused:
                type: boolean
                description: Stop progressing.
              selector:
                type: object
                x-kubernetes-map-type: atomic
                description: Label selector of the pods.
                properties:
                  matchLabels:
                    type: object
                    additionalProperties: {type: string}
                    description: Labels the pods carry.
              template:
                type: object
                description: The pods to run (a pod template, kept as written).
                x-kubernetes-preserve-unknown-fields: true
              analysisTemplate:
                type: object
                description: An analysis object created with each step (any kind).
                x-kubernetes-embedded-resource: true
                x-kubernetes-preserve-unknown-fields: true
              strategy:
                type: object
                description: How pods move to a new template.
                x-kubernetes-validations:
                - rule: "has(self.canary) != has(self.blueGreen)"
                  message: exactly one of canary or blueGreen must be set
                properties:
                  canary:
                    type: object
                    description: Shift traffic in weighted steps.
                    properties:
                      maxSurge:
                        x-kubernetes-int-or-string: true
                        default: 25%
                        description: Extra pods allowed during the update.
                      maxUnavailable:
                        x-kubernetes-int-or-string: true
                        default: 0
                        description: Pods that may be unavailable during the update.
                      steps:
                        type: array
                        description: The steps, in order.
                        items:
                          type: object
                          properties:
                            setWeight:
                              type: integer
                              minimum: 0
                              maximum: 100
                              description: Traffic weight of the canary.
                            pause:
                              type: object
                              description: Wait before the next step.
                              properties:
                                duration:
                                  x-kubernetes-int-or-string: true
                                  description: Seconds, or a duration such as 1m.
                  blueGreen:
                    type: object
                    description: Switch all traffic at once.
                    required: [activeService]
                    properties:
                      activeService: {type: string, description: Service of the live version.}
                      previewService: {type: string, description: Service of the new version.}
                      autoPromotionEnabled: {type: boolean, default: true, description: Promote without a manual step.}
          status:
            type: object
            description: Observed state of the rollout.
            properties:
              replicas: {type: integer}
              updatedReplicas: {type: integer}
              readyReplicas: {type: integer}
              availableReplicas: {type: integer}
              selector: {type: string}
              strategy: {type: string}
              phase:
                type: string
                enum: [Progressing, Paused, Healthy, Degraded]
              conditions:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [type]
                items:
                  type: object
                  required: [type, status]
                  properties:
                    type: {type: string}
                    status: {type: string}
                    reason: {type: string}
                    message: {type: string}
`;

export const ROLLOUT_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: rollouts.delivery.example.com
spec:
  group: delivery.example.com
  names:
    kind: Rollout
    listKind: RolloutList
    plural: rollouts
    singular: rollout
    shortNames: [ro]
  scope: Namespaced
  conversion:
    strategy: None
  versions:
${versionSchema(true, 'v1alpha1')}${versionSchema(false, 'v1beta1')}`;

export const ROLLOUT = `apiVersion: delivery.example.com/v1alpha1
kind: Rollout
metadata:
  name: shop
  namespace: crd-demo
spec:
  replicas: 3
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
      - name: shop
        image: shop:1.0
  analysisTemplate:
    apiVersion: analysis.example.com/v1
    kind: AnalysisTemplate
    metadata: {name: success-rate}
    spec: {metric: success-rate}
  strategy:
    canary:
      maxUnavailable: 1
      steps:
      - setWeight: 20
      - pause: {duration: 1m}
      - setWeight: 60
      - pause: {duration: 30}
`;
