// Worker module for test/pool/failures.thread.test.ts: exports functions, but no defineWorker() definition.
export function add(a, b) {
  return a + b;
}
export default { add };
