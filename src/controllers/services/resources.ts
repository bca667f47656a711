// The resources the service controllers read and write.

import type { GroupVersionResource } from '../../client/types.js';

export const SERVICES: GroupVersionResource = { group: '', version: 'v1', resource: 'services' };
export const ENDPOINTS: GroupVersionResource = { group: '', version: 'v1', resource: 'endpoints' };
export const ENDPOINT_SLICES: GroupVersionResource = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
export const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };

export const NAMESPACE_INDEX = 'namespace';
export const SERVICE_NAME_INDEX = 'service-name';
