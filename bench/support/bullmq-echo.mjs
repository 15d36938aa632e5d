// The cluster suite's raw BullMQ worker: a bare BullMQ Worker in a process of its own, echoing
// each job's data, so the raw round trip crosses processes as a ClusterPool task does (a Worker in
// the submitting process would share its event loop and skip a process wake-up). Prints "ready"
// once it serves the queue; SIGTERM closes it. Arguments: <redis url> <queue> <prefix>.
import { Worker } from 'bullmq';

const [url, queue, prefix] = process.argv.slice(2);
const { hostname, port } = new URL(url);
const worker = new Worker(queue, async (job) => job.data, { connection: { host: hostname, port: Number(port) }, prefix });
await worker.waitUntilReady();
console.log('ready');
process.once('SIGTERM', () => void worker.close().then(() => process.exit(0)));
