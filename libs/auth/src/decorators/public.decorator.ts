// One decorator for the platform's /health and /metrics and the app's routes: one metadata key that the global guard reads.
export { Public, IS_PUBLIC_ROUTE } from '@sso/contracts';
