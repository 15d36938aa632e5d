/** A second TypeScript file of the user's, imported by the worker module with a `.js` specifier. */
export function double(x: number): number {
  return 2 * x;
}
