/** Every metric of the service starts with this, the process metrics included. */
export const METRIC_PREFIX = 'odoo_privacy_bridge_'
