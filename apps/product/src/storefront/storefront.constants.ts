/** Injection token of the built storefront (StorefrontAssets, or undefined when not built). */
export const STOREFRONT_ASSETS = Symbol('STOREFRONT_ASSETS');
