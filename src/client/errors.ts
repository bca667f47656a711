// Errors both client implementations raise themselves (not relayed from a server).

import { ApiError } from '../api/errors.js';

/** kube's answer for a resource the server does not serve. */
export const resourceNotFound = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource');
