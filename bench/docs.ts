/**
 * `npm run bench:docs`: writes the performance page again from results already measured (in the
 * repository, docs/performance.md from the committed bench/results/*.json), e.g. after its
 * template or the table format changed. The results must be one full run (see harness/docs.ts).
 */
import { relative, resolve } from 'node:path';
import { Command } from 'commander';
import { PerformancePageError, writePerformancePage } from './harness/docs.js';
import { SUITE_NAMES } from './suites/index.js';

await new Command('bench-docs')
  .description('write the performance page and the charts from the results of one full benchmark run')
  .argument('<results>', 'the folder holding every suite\'s <suite>.json')
  .argument('<page>', 'the markdown file to write')
  .action((results: string, page: string) => {
    try {
      writePerformancePage(resolve(results), resolve(page), SUITE_NAMES);
    } catch (error) {
      if (!(error instanceof PerformancePageError)) throw error;
      process.stderr.write(`bench-docs: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`wrote ${relative(process.cwd(), resolve(page))} and the charts in ${results}\n`);
  })
  .parseAsync(process.argv);
