/** The services of CONTRACT.md, in start order, with their default ports. */
export const services = [
  { name: 'auth', port: 3000 },
  { name: 'api-keys', port: 3001 },
  { name: 'billing', port: 3002 },
  { name: 'usage-tracking', port: 3003 },
  { name: 'settings', port: 3004 },
  { name: 'product', port: 3005 },
];

/** `usage-tracking` → `USAGE_TRACKING_PORT`: the launcher's own override of a service's port. */
export const portVariable = (name) => `${name.toUpperCase().replaceAll('-', '_')}_PORT`;

/** The demo web apps that sign users in through auth (single sign-on); started after the services. */
export const webApps = [{ name: 'console', port: 3006 }];
