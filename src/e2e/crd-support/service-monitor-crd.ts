// Test fixture in the style of a monitoring operator's ServiceMonitor: how to
// scrape the endpoints of selected Services. No printer columns (so kubectl
// shows the age), no subresources, int-or-string ports, defaults inside list
// items, a label selector and a CEL rule over list items. Written for these tests.

export const SERVICE_MONITOR_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: servicemonitors.monitoring.example.com
spec:
  group: monitoring.example.com
  names:
    kind: ServiceMonitor
    listKind: ServiceMonitorList
    plural: servicemonitors
    singular: servicemonitor
    shortNames: [smon]
    categories: [monitoring]
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        description: ServiceMonitor declares how a set of Services is scraped for metrics.
        type: object
        required: [spec]
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            description: Which Services to scrape, and how.
            type: object
            required: [selector, endpoints]
            properties:
              jobLabel:
                type: string
                description: Service label whose value names the job.
              targetLabels:
                type: array
                items: {type: string}
                description: Service labels copied onto the scraped series.
              sampleLimit:
                type: integer
                format: int64
                minimum: 0
                description: Per-scrape limit on accepted samples.
              selector:
                description: Label selector of the Services.
                type: object
                x-kubernetes-map-type: atomic
                properties:
                  matchLabels:
                    type: object
                    additionalProperties: {type: string}
                    description: Labels the Services must carry.
                  matchExpressions:
                    type: array
                    description: Set-based requirements.
                    items:
                      type: object
                      required: [key, operator]
                      properties:
                        key: {type: string, description: Label key.}
                        operator:
                          type: string
                          enum: [In, NotIn, Exists, DoesNotExist]
                          description: How the key relates to the values.
                        values: {type: array, items: {type: string}, description: Values to compare with.}
              namespaceSelector:
                description: "Namespaces to look for Services in (default: the monitor's own)."
                type: object
                properties:
                  any: {type: boolean, description: Every namespace.}
                  matchNames: {type: array, items: {type: string}, description: These namespaces.}
              attachMetadata:
                type: object
                description: Extra target metadata.
                properties:
                  node: {type: boolean, description: Attach node labels.}
              endpoints:
                description: Endpoints of the Services to scrape.
                type: array
                minItems: 1
                items:
                  type: object
                  x-kubernetes-validations:
                  - rule: "has(self.port) || has(self.targetPort)"
                    message: one of port or targetPort is required
                  - rule: "!has(self.bearerTokenSecret) || self.scheme == 'https'"
                    message: bearerTokenSecret requires scheme https
                  properties:
                    port:
                      type: string
                      description: Name of the Service port.
                    targetPort:
                      x-kubernetes-int-or-string: true
                      description: Number or name of the pod port.
                    path:
                      type: string
                      default: /metrics
                      description: HTTP path to scrape.
                    scheme:
                      type: string
                      enum: [http, https]
                      default: http
                      description: HTTP scheme.
                    interval:
                      type: string
                      pattern: '^(0|(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$'
                      description: Scrape interval.
                    scrapeTimeout:
                      type: string
                      pattern: '^(0|(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$'
                      description: Scrape timeout.
                    honorLabels:
                      type: boolean
                      default: false
                      description: Keep the target's labels on collision.
                    bearerTokenSecret:
                      type: object
                      required: [key]
                      description: Secret key holding a bearer token.
                      properties:
                        name: {type: string, description: Secret name.}
                        key: {type: string, description: Key in the Secret.}
                    tlsConfig:
                      type: object
                      description: TLS settings of the scrape.
                      properties:
                        serverName: {type: string, description: Server name to verify.}
                        insecureSkipVerify: {type: boolean, description: Skip verification.}
                        ca:
                          type: object
                          description: CA bundle source.
                          x-kubernetes-preserve-unknown-fields: true
                    relabelings:
                      type: array
                      description: Relabeling steps before scraping.
                      items:
                        type: object
                        properties:
                          sourceLabels:
                            type: array
                            items: {type: string, pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$'}
                            description: Labels whose values are joined.
                          separator: {type: string, description: Join separator.}
                          targetLabel: {type: string, description: Label written.}
                          regex: {type: string, description: Regular expression matched.}
                          replacement: {type: string, description: Replacement value.}
                          action:
                            type: string
                            default: replace
                            enum: [replace, keep, drop, hashmod, labelmap, labeldrop, labelkeep]
                            description: What to do on a match.
                    metricRelabelings:
                      type: array
                      description: Relabeling steps after scraping.
                      items:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
`;

export const SERVICE_MONITOR = `apiVersion: monitoring.example.com/v1
kind: ServiceMonitor
metadata:
  name: web
  namespace: crd-demo
  labels: {team: web}
spec:
  selector:
    matchLabels: {app: web}
  namespaceSelector:
    matchNames: [crd-demo]
  endpoints:
  - port: metrics
    interval: 30s
    relabelings:
    - sourceLabels: [__meta_kubernetes_pod_name]
      targetLabel: pod
  - targetPort: 9090
    scheme: https
    tlsConfig:
      serverName: web.crd-demo.svc
      ca: {secret: {name: ca, key: ca.crt}}
`;
