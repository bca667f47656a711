// Test fixture in the style of a certificate manager's Certificate: a request
// for a signed certificate stored in a Secret. Large nested schema, enums,
// maps, a keyed list (server-side apply merges it per entry), CEL rules with
// message / messageExpression / fieldPath / reason, condition-based printer
// columns and a status subresource. Written for these tests.

export const CERTIFICATE_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: certificates.pki.example.com
spec:
  group: pki.example.com
  names:
    kind: Certificate
    listKind: CertificateList
    plural: certificates
    singular: certificate
    shortNames: [cert, certs]
    categories: [pki]
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
    additionalPrinterColumns:
    - name: Ready
      type: string
      jsonPath: .status.conditions[?(@.type=="Ready")].status
    - name: Secret
      type: string
      jsonPath: .spec.secretName
    - name: Issuer
      type: string
      priority: 1
      jsonPath: .spec.issuerRef.name
    - name: Status
      type: string
      priority: 1
      jsonPath: .status.conditions[?(@.type=="Ready")].message
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:
        description: A Certificate asks an issuer for an X.509 certificate and keeps it, with its private key, in a Secret.
        type: object
        required: [spec]
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            description: What certificate to request and where to keep it.
            type: object
            required: [issuerRef, secretName]
            x-kubernetes-validations:
            - rule: "has(self.commonName) || (has(self.dnsNames) && size(self.dnsNames) > 0) || (has(self.uris) && size(self.uris) > 0)"
              message: at least one of commonName, dnsNames or uris must be set
            - rule: "!has(self.renewBefore) || !has(self.renewBeforePercentage)"
              message: renewBefore and renewBeforePercentage are mutually exclusive
              reason: FieldValueForbidden
              fieldPath: .renewBeforePercentage
            properties:
              secretName:
                description: Name of the Secret the certificate and key are written to.
                type: string
                maxLength: 253
              commonName:
                description: Common name of the subject; at most 64 characters.
                type: string
                maxLength: 64
              dnsNames:
                description: DNS subject alternative names.
                type: array
                maxItems: 100
                items: {type: string, maxLength: 253}
              uris:
                description: URI subject alternative names.
                type: array
                items: {type: string}
              ipAddresses:
                description: IP subject alternative names.
                type: array
                items: {type: string}
              duration:
                description: Requested lifetime, as a Go duration (2160h).
                type: string
                pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$'
              renewBefore:
                description: How long before expiry to renew.
                type: string
              renewBeforePercentage:
                description: Renew when this percentage of the lifetime is left.
                type: integer
                minimum: 1
                maximum: 99
              isCA:
                description: Request a CA certificate.
                type: boolean
                default: false
              usages:
                description: Key usages requested.
                type: array
                x-kubernetes-list-type: set
                items:
                  type: string
                  enum: [signing, digital signature, key encipherment, server auth, client auth, cert sign]
              subject:
                description: Full X.509 subject.
                type: object
                properties:
                  organizations: {type: array, items: {type: string}, description: Organizations.}
                  countries: {type: array, items: {type: string}, description: Countries.}
                  organizationalUnits: {type: array, items: {type: string}, description: Organizational units.}
                  serialNumber: {type: string, description: Serial number.}
              privateKey:
                description: How the private key is generated.
                type: object
                x-kubernetes-validations:
                - rule: "self.algorithm != 'Ed25519' || !has(self.size)"
                  message: size must not be set for Ed25519 keys
                - rule: "self.algorithm != 'RSA' || !has(self.size) || self.size >= 2048"
                  messageExpression: "'RSA keys must be at least 2048 bits, got ' + string(self.size)"
                  fieldPath: .size
                properties:
                  algorithm:
                    description: Key algorithm.
                    type: string
                    enum: [RSA, ECDSA, Ed25519]
                    default: RSA
                  size:
                    description: Key size in bits (RSA) or curve size (ECDSA).
                    type: integer
                  encoding:
                    type: string
                    enum: [PKCS1, PKCS8]
                    default: PKCS1
                    description: Key encoding.
                  rotationPolicy:
                    type: string
                    enum: [Never, Always]
                    description: Whether the key is regenerated on renewal.
              issuerRef:
                description: The issuer that signs the certificate.
                type: object
                required: [name]
                properties:
                  name: {type: string, description: Name of the issuer.}
                  kind: {type: string, description: Kind of the issuer (Issuer or ClusterIssuer)., default: Issuer}
                  group: {type: string, description: API group of the issuer.}
                x-kubernetes-map-type: atomic
              secretTemplate:
                description: Labels and annotations copied onto the Secret.
                type: object
                properties:
                  annotations:
                    type: object
                    additionalProperties: {type: string}
                    description: Annotations.
                  labels:
                    type: object
                    additionalProperties: {type: string}
                    description: Labels.
              additionalOutputFormats:
                description: Extra encodings written into the Secret, one entry per type.
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [type]
                items:
                  type: object
                  required: [type]
                  properties:
                    type:
                      type: string
                      enum: [DER, CombinedPEM]
                      description: Output format.
                    key:
                      type: string
                      description: Secret key to write it under.
              keystores:
                description: Keystores written beside the PEM files.
                type: object
                properties:
                  jks:
                    type: object
                    required: [create, passwordSecretRef]
                    description: Java keystore.
                    properties:
                      create: {type: boolean, description: Whether to write it.}
                      passwordSecretRef:
                        type: object
                        required: [name]
                        description: Secret holding the keystore password.
                        properties:
                          name: {type: string, description: Secret name.}
                          key: {type: string, description: Key in the Secret.}
          status:
            description: What the issuer has done so far.
            type: object
            properties:
              conditions:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [type]
                items:
                  type: object
                  required: [type, status]
                  properties:
                    type: {type: string}
                    status: {type: string, enum: ["True", "False", "Unknown"]}
                    reason: {type: string}
                    message: {type: string}
                    lastTransitionTime: {type: string, format: date-time}
                    observedGeneration: {type: integer, format: int64}
              notBefore: {type: string, format: date-time}
              notAfter: {type: string, format: date-time}
              renewalTime: {type: string, format: date-time}
              revision: {type: integer}
`;

export const CERTIFICATE = `apiVersion: pki.example.com/v1
kind: Certificate
metadata:
  name: web-tls
  namespace: crd-demo
spec:
  secretName: web-tls
  commonName: web.example.com
  dnsNames: [web.example.com, www.example.com]
  duration: 2160h
  usages: [server auth, digital signature]
  privateKey:
    algorithm: ECDSA
    size: 256
  issuerRef:
    name: letsencrypt
    kind: ClusterIssuer
  additionalOutputFormats:
  - type: DER
`;
