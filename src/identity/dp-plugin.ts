// Identity on DP streams, as a plug-in of the DP server (DpStreamHandler):
// refuses at connect a proxy its identity's path cannot name (missing
// workload label), hands every CSR to issuance, and forgets the proxy when
// its stream ends. The DP server owns streams and subscriptions; this module
// only adds identity on top.

import type { KObject } from '../api/object.js';
import type { ControlPlaneMessage, ProxyMessage } from '../dp/protocol/messages.js';
import { invalidArgument } from '../dp/server/dp-error.js';
import type { DpSession, DpStreamHandler } from '../dp/server/stream-handler.js';
import type { ProxySessions } from './proxy-sessions.js';

export interface IdentityDpPlugin extends DpStreamHandler {
  /**
   * The connect-time rule, for a DP server hook that runs before a stream is
   * accepted (throws a DpError INVALID_ARGUMENT, which `dp run` treats as
   * fatal). onConnect applies it too, for servers without such a hook.
   */
  authorize(dataplane: KObject): void;
}

export function identityDpPlugin(sessions: ProxySessions): IdentityDpPlugin {
  const authorize = (dp: KObject) => {
    const refusal = sessions.admissionError(dp);
    if (refusal) throw invalidArgument(refusal);
  };
  return {
    authorize,
    onConnect(session: DpSession) {
      authorize(session.dataplane);
      sessions.open({
        id: session.id,
        namespace: session.namespace,
        name: session.name,
        dataplane: session.dataplane,
        send: (msg) => session.send(msg as ControlPlaneMessage),
      });
    },
    onMessage(session: DpSession, msg: ProxyMessage) {
      if (!('csr' in msg)) return false;
      sessions.request(session.id, msg.csr.csrPem);
      return true;
    },
    onDisconnect(session: DpSession) {
      sessions.close(session.id);
    },
  };
}
