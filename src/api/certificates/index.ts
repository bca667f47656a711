// certificates.k8s.io: CertificateSigningRequest.
export * from './certificate-signing-request.js';
