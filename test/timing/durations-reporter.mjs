// A node:test reporter that records each test file's wall time: one JSON line per file,
// {file, ms, ok, start, end} (start/end: epoch ms when the runner started and finished it), appended to the
// path in KAFKALITE_TEST_DURATIONS. test/run.mjs runs it beside the spec reporter and folds the lines into
// test/timing/durations.json, the longest-first schedule of the next run.
import { appendFileSync } from 'node:fs';

export default async function* durations(source) {
  const out = process.env.KAFKALITE_TEST_DURATIONS;
  const started = new Map();
  for await (const event of source) {
    yield ''; // prints nothing: the spec reporter beside it does the printing
    const d = event.data;
    if (!d || d.name !== d.file || d.nesting !== 0) continue;
    if (event.type === 'test:dequeue') started.set(d.file, Date.now());
    if (event.type === 'test:complete' && out) {
      const line = {
        file: d.file,
        ms: Math.round(d.details.duration_ms),
        ok: d.details.passed,
        start: started.get(d.file),
        end: Date.now(),
      };
      appendFileSync(out, `${JSON.stringify(line)}\n`);
    }
  }
}
