// ResourceQuota enforcement for pods (admission) and accounting (controller).

export { resourceQuotaAdmission, type QuotaAdmissionOptions } from './quota-admission.js';
export { quotaController, QUOTAS, type QuotaControllerOptions } from './quota-controller.js';
export { podUsage, countsAgainstQuota, missingResources } from './pod-usage.js';
export { quotaUsage, hardLimits } from './quota-usage.js';
export { quotaCoversPod } from './quota-scopes.js';
export { formatAmount, parseAmount, prettyPrint, type Amount, type ResourceList } from './resource-list.js';
