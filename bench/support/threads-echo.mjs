// The pool suite's plain `threads` worker: the trivial function exposed with threads' own
// expose(), without shared-ndarray's adapter (no transport encoding, no reply wrapping).
import { expose } from 'threads/worker';

expose({ echo: (x) => x });
