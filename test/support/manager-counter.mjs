// A class test/manager/crossing.thread.test.ts registers with a Manager: the manager loads this
// module and builds the instances; proxies call their methods.
export class Counter {
  #n;

  constructor(start = 0) {
    this.#n = start;
  }

  increment(by = 1) {
    this.#n += by;
    return this.#n;
  }

  get value() {
    return this.#n;
  }

  read() {
    return this.#n;
  }

  async later(ms) {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.#n;
  }

  _hidden() {
    return 'hidden';
  }
}
