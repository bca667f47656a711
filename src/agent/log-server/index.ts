// Serving container logs over HTTPS from a remote agent, and reading them from the API server.
export { startLogServer, APISERVER_KUBELET_CLIENT, type LogServer, type LogServerOptions } from './log-server.js';
export { nodeServerIdentity, remoteLogSource, type RemoteLogSourceOptions } from './remote-log-source.js';
export { logQueryString, parseLogQuery, type ParsedLogQuery } from './log-query.js';
export { sendLog } from './send-log.js';
