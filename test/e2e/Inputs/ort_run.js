#!/usr/bin/env node
// Runs an ONNX model in ONNX Runtime (npm onnxruntime-node, CPU execution
// provider) on .npy inputs and writes its outputs as .npy files: the peer
// that test/e2e/ort-*.test and bench/ort-latency.sh compare us with.
//
//   node ort_run.js MODEL.onnx --ort-dir DIR [--input [NAME=]FILE.npy]...
//        [--output-dir DIR] [--threads N] [--opt disabled|basic|extended|all]
//        [--save-optimized FILE.onnx] [--bench N [--warmup N] [--reps R]]
//   node ort_run.js --jobs JOBS.json --ort-dir DIR [options]
//
// --ort-dir    the directory whose node_modules holds onnxruntime-node
//              (scripts/setup.sh installs it into BUILD_DIR/ort); without
//              it, QC_ORT_DIR, then plain require()
// --input      NAME=FILE.npy binds a graph input by name, FILE.npy the next
//              unbound input in order. Samples as quant-run takes them: N
//              stacked along a new leading dimension, or N batches along
//              the model's first one (1000 images for a batch-1 model) run
//              one by one, and each output is joined along its leading
//              dimension when that is 1, else stacked along a new one.
// --output-dir one OUTPUT_NAME.npy per graph output (default: .)
// --threads    intra-op threads (default 1); inter-op is always 1
//              (sequential execution)
// --opt        graph optimization level (default all)
// --save-optimized  writes the model as ORT optimized it (which nodes it
//              fused into QLinearConv, QGemm, ...)
// --jobs FILE  a JSON list of {"model", "inputs": [...], "outputDir"}
//              objects (any other option too) run in one process instead of
//              MODEL; a failing job is reported and the others still run
// --bench N    instead of writing outputs, times N runs of the first sample
//              after --warmup runs (default 10), --reps R times (default 1),
//              and prints "ort: MEAN us per inference (best mean of R x N
//              runs; fastest run MIN us)"
// Exit status 1 with a message on any error (missing package, bad input).
'use strict';

const fs = require('fs');
const path = require('path');
const {readNpy, writeNpy, DTYPES} = require('./npy.js');

function usage(msg) {
  if (msg) console.error(`ort_run.js: ${msg}`);
  console.error('usage: node ort_run.js MODEL.onnx --ort-dir DIR ' +
      '[--input [NAME=]FILE.npy]... [--output-dir DIR] [--threads N] ' +
      '[--opt LEVEL] [--save-optimized FILE] [--bench N] [--warmup N]');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {inputs: [], outputDir: '.', threads: 1, opt: 'all',
                ortDir: process.env.QC_ORT_DIR || '', bench: 0, warmup: 10,
                reps: 1};
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--input') opts.inputs.push(value());
    else if (a === '--output-dir') opts.outputDir = value();
    else if (a === '--ort-dir') opts.ortDir = value();
    else if (a === '--threads') opts.threads = Number(value());
    else if (a === '--opt') opts.opt = value();
    else if (a === '--save-optimized') opts.saveOptimized = value();
    else if (a === '--bench') opts.bench = Number(value());
    else if (a === '--warmup') opts.warmup = Number(value());
    else if (a === '--reps') opts.reps = Number(value());
    else if (a === '--jobs') opts.jobs = value();
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else if (opts.model) usage(`a second model ${a}`);
    else opts.model = a;
  }
  if (!opts.model && !opts.jobs) usage('no model given');
  if (opts.model && opts.jobs) usage('a model and --jobs');
  return opts;
}

function loadOrt(dir) {
  const where = dir ? path.join(path.resolve(dir), 'node_modules',
                                'onnxruntime-node') : 'onnxruntime-node';
  try {
    return require(where);
  } catch (e) {
    console.error(`ort_run.js: cannot load onnxruntime-node from ${where}: ` +
        `${e.message.split('\n')[0]}\n(scripts/setup.sh installs it into ` +
        'BUILD_DIR/ort; run it, or npm install onnxruntime-node there)');
    process.exit(1);
  }
}

function product(shape) {
  return shape.reduce((a, b) => a * b, 1);
}

/** Runs one model (opts.model on opts.inputs into opts.outputDir). */
async function runModel(ort, opts) {
  const session = await ort.InferenceSession.create(opts.model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: opts.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: opts.opt,
    ...(opts.saveOptimized ? {optimizedModelFilePath: opts.saveOptimized}
                           : {}),
  });

  // Bind the inputs.
  const bound = new Map();
  for (const spec of opts.inputs) {
    const eq = spec.indexOf('=');
    let name, file;
    if (eq > 0 && session.inputNames.includes(spec.slice(0, eq))) {
      name = spec.slice(0, eq);
      file = spec.slice(eq + 1);
    } else {
      name = session.inputNames.find((n) => !bound.has(n));
      file = spec;
      if (name === undefined) throw new Error('more inputs than the model has');
    }
    bound.set(name, readNpy(file));
  }
  const missing = session.inputNames.filter((n) => !bound.has(n));
  if (missing.length)
    throw new Error(`no value for input(s) ${missing.join(', ')}`);

  // Samples, as quant-run takes them: an input of the model's shape is one
  // sample; one with an extra leading dimension holds N stacked samples;
  // one whose leading dimension is N times the model's fixed batch holds N
  // batches.
  let samples = 1;
  session.inputNames.forEach((name, i) => {
    const meta = session.inputMetadata[i];
    const data = bound.get(name);
    const want = meta && meta.isTensor ? meta.shape : [];
    if (!want.every((d) => typeof d === 'number')) return;
    const same = (a, b) => a.length === b.length && a.every((d, k) => d === b[k]);
    let n = 1;
    if (data.shape.length === want.length + 1 &&
        same(data.shape.slice(1), want)) {
      n = data.shape[0];
      data.sample = want;
    } else if (want.length && data.shape.length === want.length &&
               same(data.shape.slice(1), want.slice(1)) &&
               data.shape[0] !== want[0] && data.shape[0] % want[0] === 0) {
      n = data.shape[0] / want[0];
      data.sample = want;
    } else {
      return;
    }
    if (samples !== 1 && samples !== n)
      throw new Error('inputs hold different numbers of samples');
    samples = n;
  });

  const feedsOf = (s) => {
    const feeds = {};
    for (const [name, t] of bound) {
      if (t.sample === undefined) {
        feeds[name] = new ort.Tensor(t.dtype, t.data, t.shape);
        continue;
      }
      const n = product(t.sample);
      feeds[name] = new ort.Tensor(t.dtype, t.data.subarray(s * n, (s + 1) * n),
                                   t.sample);
    }
    return feeds;
  };

  if (opts.bench > 0) {
    // Best mean over --reps repetitions of --bench runs, and the fastest
    // single run; every run includes ORT's JS binding (tensor wrapping,
    // the promise), as a Node.js user calls it.
    const feeds = feedsOf(0);
    for (let i = 0; i < opts.warmup; ++i) await session.run(feeds);
    let bestMean = Infinity, best = Infinity;
    for (let r = 0; r < opts.reps; ++r) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < opts.bench; ++i) {
        const t0 = process.hrtime.bigint();
        await session.run(feeds);
        best = Math.min(best, Number(process.hrtime.bigint() - t0));
      }
      const mean = Number(process.hrtime.bigint() - start) / opts.bench;
      bestMean = Math.min(bestMean, mean);
    }
    console.log(`ort: ${(bestMean / 1e3).toFixed(3)} us per inference ` +
        `(best mean of ${opts.reps} x ${opts.bench} runs; fastest run ` +
        `${(best / 1e3).toFixed(3)} us)`);
    return;
  }

  // Run every sample; join the results along their leading dimension when
  // it is 1, else stack them along a new one (as quant-run does).
  const outputs = new Map(session.outputNames.map((n) => [n, []]));
  for (let s = 0; s < samples; ++s) {
    const result = await session.run(feedsOf(s));
    for (const name of session.outputNames) outputs.get(name).push(result[name]);
  }
  fs.mkdirSync(opts.outputDir, {recursive: true});
  for (const [name, parts] of outputs) {
    const first = parts[0];
    if (!Object.values(DTYPES).some(([, t]) => t === first.type))
      throw new Error(`output ${name} has type ${first.type}, not writable`);
    const shape = [...first.dims];
    let data = first.data;
    if (parts.length > 1) {
      if (shape.length && shape[0] === 1) shape[0] = parts.length;
      else shape.unshift(parts.length);
      data = new first.data.constructor(product(shape));
      parts.forEach((p, k) => data.set(p.data, k * p.data.length));
    }
    const file = name.replace(/[^A-Za-z0-9_.-]/g, '_') + '.npy';
    writeNpy(path.join(opts.outputDir, file), first.type, shape, data);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const ort = loadOrt(opts.ortDir);
  if (!opts.jobs) {
    await runModel(ort, opts);
    return;
  }
  // Many models in one process (loading ORT once): every job that fails
  // is reported and the others still run.
  let failed = 0;
  for (const job of JSON.parse(fs.readFileSync(opts.jobs, 'utf8'))) {
    try {
      await runModel(ort, {...opts, ...job});
    } catch (e) {
      ++failed;
      console.error(`ort_run.js: ${job.model}: ${e && e.message ? e.message : e}`);
    }
  }
  if (failed) process.exit(1);
}

main().catch((e) => {
  console.error(`ort_run.js: ${e && e.message ? e.message : e}`);
  process.exit(1);
});
