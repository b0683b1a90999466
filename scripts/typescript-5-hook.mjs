// Module resolution hook for scripts/client-types.mjs: openapi-typescript prints its output through
// TypeScript's JavaScript API, which TypeScript 7 (the native compiler this project type-checks with)
// no longer has, so its `typescript` imports get TypeScript 5, installed beside it as `typescript-5`.
export async function resolve(specifier, context, next) {
  if (specifier === 'typescript' && context.parentURL?.includes('/node_modules/openapi-typescript/')) {
    return next('typescript-5', context);
  }
  return next(specifier, context);
}
