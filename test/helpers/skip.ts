// Suites that need a tool this machine may lack (helm, Chromium, promtool, Prometheus, a real
// kube-apiserver): skipped, saying why. The reason goes straight to stderr: jest's reporter drops the
// console output of a suite whose tests were all skipped when it runs more than one file.
export function describeIf(missing: string | undefined, what: string): jest.Describe {
  if (!missing) return describe;
  process.stderr.write(`skipping ${what}: ${missing}\n`);
  return describe.skip;
}
