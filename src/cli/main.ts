#!/usr/bin/env node
/** The `shared-ndarray` command. Usage errors exit with 2, failures with 1. */
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2));
