// Certificate signing: approval and issuance of CertificateSigningRequests.
export { csrController, CSRS, type CsrControllerOptions } from './csr-controller.js';
export { autoApproval, GROUP_BOOTSTRAPPERS } from './csr-approver.js';
export { GROUP_NODES, NODE_USER_PREFIX, nodeOfCsr, signerViolation } from './node-csr-policy.js';
