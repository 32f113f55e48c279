// Sums Jest's --json reports (one per project) into passed/failed counts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function summariseJestReports(dir) {
  const summary = { passed: 0, failed: 0, failures: [] };
  if (!existsSync(dir)) return summary;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const report = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    summary.passed += report.numPassedTests;
    summary.failed += report.numFailedTests;
    // A suite that fails to load counts no test; count it as one failure so it cannot hide.
    for (const suite of report.testResults ?? []) {
      if (suite.status === 'failed' && suite.assertionResults.length === 0) {
        summary.failed += 1;
        summary.failures.push(`${path.basename(file, '.json')}: ${suite.name} (suite failed to run)`);
      }
      for (const test of suite.assertionResults ?? []) {
        if (test.status === 'failed') summary.failures.push(`${path.basename(file, '.json')}: ${test.fullName}`);
      }
    }
  }
  return summary;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = summariseJestReports(process.argv[2] ?? 'reports/jest');
  console.log(`${s.passed} passed, ${s.failed} failed`);
}
