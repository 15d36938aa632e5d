// _TestMyManager's class for test/manager/cpython-conformance.thread.test.ts, loaded by the manager's
// thread (Manager.register).
import { ValueError } from 'shared-ndarray';

/** _TestMyManager's FooBar: f, g (raises ValueError) and _h (not exposed unless asked). */
export class FooBar {
  f() {
    return 'f()';
  }

  g() {
    throw new ValueError('g');
  }

  _h() {
    return '_h()';
  }
}
