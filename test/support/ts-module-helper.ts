// Imported by ts-module.worker.ts with a .js specifier, as TypeScript's own rule has it.
export function twice(x: number): number {
  return 2 * x;
}
