// Workplane's version, shown by `workplane version` and in /version's gitVersion.
export const VERSION = '0.1.0';
