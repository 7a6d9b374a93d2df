// Decodes one FIT file in one Node process with Stride's wasm decoder, @garmin/fitsdk and
// fit-file-parser, on the same bytes, and prints one line per decoder `NAME MB_PER_S`, then the
// first-parse and memory figures, and last `stride_vs_garmin_ratio=X`.
// Usage: node fit.mjs FILE [ITERATIONS]   (bench/fit.sh builds the wasm and calls this)
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Decoder, Stream } from '@garmin/fitsdk';
import FitParser from 'fit-file-parser';

const require = createRequire(import.meta.url);
const stride = require('./pkg/bench_wasm.js');

const [, , file, iterationsArg] = process.argv;
if (!file) {
  console.error('usage: node fit.mjs FILE [ITERATIONS]');
  process.exit(2);
}
const bytes = new Uint8Array(fs.readFileSync(file));
const mb = bytes.length / 1e6;
const iterations = Number(iterationsArg ?? (bytes.length > 1e6 ? 10 : 25));

// Each decoder returns [records, heart-rate sum] so that nothing is optimised away and the
// results can be compared.
const decoders = {
  stride_wasm: (b) => {
    const [records, hr] = stride.decode_fit(b);
    return [records, hr];
  },
  garmin_fitsdk_defaults: (b) => {
    const { messages } = new Decoder(Stream.fromByteArray(b)).read();
    const recs = messages.recordMesgs ?? [];
    return [recs.length, recs.reduce((s, r) => s + (r.heartRate ?? 0), 0)];
  },
  garmin_fitsdk_conversions_off: (b) => {
    const { messages } = new Decoder(Stream.fromByteArray(b)).read({
      applyScaleAndOffset: false,
      expandSubFields: false,
      expandComponents: false,
      convertTypesToStrings: false,
      convertDateTimesToDates: false,
      includeUnknownData: false,
      mergeHeartRates: false,
    });
    const recs = messages.recordMesgs ?? [];
    return [recs.length, recs.reduce((s, r) => s + (r.heartRate ?? 0), 0)];
  },
  fit_file_parser: (b) => {
    let out;
    new FitParser({ force: true, mode: 'list' }).parse(Buffer.from(b.buffer, b.byteOffset, b.length), (err, data) => {
      if (err) throw new Error(err);
      const recs = data.records ?? [];
      out = [recs.length, recs.reduce((s, r) => s + (r.heart_rate ?? 0), 0)];
    });
    return out;
  },
};

function time(fn) {
  const t0 = process.hrtime.bigint();
  const result = fn();
  return [Number(process.hrtime.bigint() - t0) / 1e6, result];
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const results = {};
let strideFirstMs = 0;
let stridePeak = 0;
for (const [name, fn] of Object.entries(decoders)) {
  let firstMs;
  let result;
  if (name === 'stride_wasm') {
    stride.reset_peak_heap();
    const liveBefore = stride.live_heap_bytes();
    [firstMs, result] = time(() => fn(bytes));
    stridePeak = stride.peak_heap_bytes() - liveBefore;
    strideFirstMs = firstMs;
  } else {
    [firstMs, result] = time(() => fn(bytes));
  }
  const runs = [];
  for (let i = 0; i < iterations; i++) runs.push(time(() => fn(bytes))[0]);
  const ms = median(runs);
  results[name] = { ms, firstMs, mbps: mb / (ms / 1000), records: result[0], hr: result[1] };
}

for (const [name, r] of Object.entries(results)) {
  console.log(`${name} ${r.mbps.toFixed(1)}`);
}
console.log('');
console.log(`file ${file} bytes=${bytes.length} iterations=${iterations}`);
for (const [name, r] of Object.entries(results)) {
  console.log(`  ${name}: median ${r.ms.toFixed(2)} ms, first ${r.firstMs.toFixed(2)} ms, records ${r.records}, hr_sum ${Math.round(r.hr)}`);
}
const s = results.stride_wasm;
console.log(`stride_first_parse_vs_steady=${(strideFirstMs / s.ms).toFixed(2)}`);
console.log(`stride_peak_heap_vs_file=${(stridePeak / bytes.length).toFixed(2)} (includes the copy of the input into wasm memory)`);
// The whole analysis an import runs (decode + every metric, splits, zones, best efforts, GPS
// smoothing), on the same bytes.
const [analysisFirstMs, analysis] = time(() => stride.analyze_file(bytes));
const analysisRuns = [];
for (let i = 0; i < iterations; i++) analysisRuns.push(time(() => stride.analyze_file(bytes))[0]);
console.log(`stride_full_analysis_ms=${median(analysisRuns).toFixed(2)} (first ${analysisFirstMs.toFixed(2)} ms; records ${analysis[0]}, distance_m ${analysis[1].toFixed(1)}, metrics ${analysis[2]})`);
const g = results.garmin_fitsdk_defaults;
if (s.records !== g.records) {
  console.log(`WARNING: record counts differ: stride ${s.records}, garmin ${g.records}`);
}
console.log(`stride_vs_garmin_fastest_ratio=${(s.mbps / results.garmin_fitsdk_conversions_off.mbps).toFixed(1)}`);
console.log(`stride_vs_garmin_ratio=${(s.mbps / g.mbps).toFixed(1)}`);
