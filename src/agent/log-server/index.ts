// Serving container logs over HTTPS from a remote agent, and reading them from the API server.
export { startLogServer, type LogServer, type LogServerOptions } from './log-server.js';
export { remoteLogSource, type RemoteLogSourceOptions } from './remote-log-source.js';
export { cachedVerifier, type CachedVerifierOptions, type TokenVerifier } from './token-verifier.js';
export { logQueryString, parseLogQuery, type ParsedLogQuery } from './log-query.js';
export { sendLog } from './send-log.js';
