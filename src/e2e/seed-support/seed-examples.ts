// The YAML examples of seeds 003 (compute.miloapis.com Workload) and 004
// (scheduling.k8s.io Workload), kept here character for character so the
// seed tests apply exactly what a reader of the seed would paste. When the
// seed files are at hand (/work/shared/seeds), `seedText` lets a test check
// that these copies have not drifted from them.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SEEDS_DIR = process.env.WORKPLANE_SEEDS_DIR ?? '/work/shared/seeds';

/** The text of the seed whose file name starts with `prefix` (e.g. `003_`), or undefined when absent. */
export function seedText(prefix: string): string | undefined {
  if (!existsSync(SEEDS_DIR)) return undefined;
  const file = readdirSync(SEEDS_DIR).find((f) => f.startsWith(prefix) && f.endsWith('.txt'));
  return file ? readFileSync(join(SEEDS_DIR, file), 'utf8') : undefined;
}

export const WEB_APP = `apiVersion: compute.miloapis.com/v1alpha1
kind: Workload
metadata:
  name: web-app
  namespace: project-myproject
  labels:
    app.kubernetes.io/name: web-app
    environment: production
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web-app
  template:
    metadata:
      labels:
        app: web-app
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
          name: http
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            cpu: 500m
            memory: 512Mi
`;

export const API_SERVER = `apiVersion: compute.miloapis.com/v1alpha1
kind: Workload
metadata:
  name: api-server
  namespace: project-myproject
spec:
  replicas: 2
  networkRef:
    name: prod-network
  template:
    spec:
      containers:
      - name: api
        image: myregistry/api:v1.0
        ports:
        - containerPort: 8080
        env:
        - name: DATABASE_URL
          valueFrom:
            secretKeyRef:
              name: db-credentials
              key: url
        resources:
          requests:
            cpu: 200m
            memory: 256Mi
          limits:
            cpu: 1000m
            memory: 1Gi
`;

export const APP_WITH_SIDECAR = `apiVersion: compute.miloapis.com/v1alpha1
kind: Workload
metadata:
  name: app-with-sidecar
  namespace: project-myproject
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: app
        image: myapp:latest
        ports:
        - containerPort: 3000
      - name: log-collector
        image: fluent/fluent-bit:latest
        volumeMounts:
        - name: logs
          mountPath: /var/log
      volumes:
      - name: logs
        emptyDir: {}
`;

export const TRAINING_JOB_WORKLOAD = `apiVersion: scheduling.k8s.io/v1alpha1
kind: Workload
metadata:
  name: training-job-workload
  namespace: some-ns
spec:
  controllerRef:
    apiGroup: batch
    kind: Job
    name: training-job
  podGroups:
  - name: workers
    policy:
      gang:
        # The gang is schedulable only if 4 pods can run at once
        minCount: 4
`;

/** Seed 000's "Automatically created Workload" (kuma.io), as the page shows it. */
export const MESH_WORKLOAD = `apiVersion: kuma.io/v1alpha1
kind: Workload
metadata:
  name: demo-workload
  namespace: default
  labels:
    kuma.io/mesh: default
    kuma.io/managed-by: k8s-controller
spec: {}
status:
  dataplaneProxies:
    connected: 3
    healthy: 3
    total: 3
`;

/** Seed 001's MeshIdentity (the page flattens its indentation; {{site.mesh_namespace}} is kuma-system). */
export const MESH_IDENTITY = `apiVersion: kuma.io/v1alpha1
kind: MeshIdentity
metadata:
  name: workload-identity
  namespace: kuma-system
  labels:
    kuma.io/mesh: default
spec:
  selector:
    dataplane:
      matchLabels:
        kuma.io/workload: demo-workload
  spiffeID:
    trustDomain: example.com
    path: "/workload/{{ .Workload }}"
  provider:
    type: Bundled
    bundled:
      meshTrustCreation: Enabled
      insecureAllowSelfSigned: true
      autogenerate:
        enabled: true
`;
