// The etcd3 client the store talks through. Two defaults of the library need
// changing for a control plane: gRPC's 4 MiB receive limit (a page of large
// objects or a watch response may exceed it; kube-apiserver's etcd client
// lifts it the same way), and its fault handling, which counts "request too
// large" as a transient failure: it would retry the oversized write, reset the
// connection (and every watch on it), and after three such writes stop
// talking to that member for five seconds.

import { ConsecutiveBreaker, circuitBreaker, handleWhen, retry } from 'cockatiel';
import { Etcd3, isRecoverableError } from 'etcd3';
import { isEtcdTooLarge } from './etcd-keys.js';

const MAX_RECEIVE_BYTES = 2 ** 31 - 1;

/** Failures worth another attempt, on this member or another one. */
const transient = handleWhen((err) => isRecoverableError(err) && !isEtcdTooLarge(err));

export function createEtcdClient(endpoints: string[]): Etcd3 {
  return new Etcd3({
    hosts: endpoints,
    grpcOptions: { 'grpc.max_receive_message_length': MAX_RECEIVE_BYTES },
    faultHandling: {
      // As the library's defaults, minus oversized requests.
      host: () => circuitBreaker(transient, { halfOpenAfter: 5000, breaker: new ConsecutiveBreaker(3) }),
      global: retry(transient, { maxAttempts: 3 }),
    },
  });
}
