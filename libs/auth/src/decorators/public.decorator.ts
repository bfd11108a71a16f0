// The platform's own decorator, so /health and /metrics (which use it) and the app's routes
// share one metadata key that the global guard reads.
export { Public, IS_PUBLIC_ROUTE } from '@sso/platform';
