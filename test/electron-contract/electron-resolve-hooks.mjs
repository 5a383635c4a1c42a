// Node module hooks (registered with module.register): 'electron' resolves
// to the stand-in module instead of the npm package, which would try to
// download a binary.
const standIn = new URL('./electron-main-module.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron' || specifier === 'electron/main') return { url: standIn, shortCircuit: true };
  return nextResolve(specifier, context);
}
