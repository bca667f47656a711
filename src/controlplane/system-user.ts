// The identity in-process components act as.
import type { UserInfo } from '../api/definition.js';

export const SYSTEM_USER: UserInfo = Object.freeze({
  username: 'system:workplane',
  groups: ['system:masters', 'system:authenticated'],
}) as UserInfo;
