// Node health: the node lifecycle controller, taint-based eviction, and the
// DefaultTolerationSeconds admission plugin.

export { defaultTolerationSeconds } from './default-toleration-seconds.js';
export { nodeLifecycleController, NodeLifecycleReconciler, type NodeLifecycleControllerOptions } from './node-lifecycle-controller.js';
export { DEFAULT_NODE_LIFECYCLE_OPTIONS, nodeLifecycleOptions, type NodeLifecycleOptions } from './options.js';
export { LEASES, NODES, PODS } from './resources.js';
export { startNodeControllers, type StartNodeControllersOptions } from './start-node-controllers.js';
export { taintEvictionController, TaintEvictionReconciler, type TaintEvictionControllerOptions } from './taint-eviction-controller.js';
export * from './taints.js';
