// The startup suite's child: how long `import(specifier)` takes in a fresh process (after Node's
// own start), printed as one JSON line of seconds.
const specifier = process.argv[2];
const start = performance.now();
await import(specifier);
console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000 }));
