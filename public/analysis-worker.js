// Stride's analysis worker: runs the page's own wasm module (no second build) and answers
// { id, kind: "summary" | "report" | "unpack", bytes: ArrayBuffer, athlete?: JSON text } with
// { id, reply: JSON text }; "report" analyses for the runner's settings (`athlete`). With
// `packing` (JSON text: a .gz file, a zip entry's data) the bytes are unpacked first and the file
// comes back too, transferred: { id, reply, bytes }.
// The page passes its JS glue and wasm URLs as ?js=…&wasm=… (see app/src/browser/worker.rs).
const params = new URL(self.location.href).searchParams;
const waiting = [];
let core = null;
let fatal = null;

// Set before the module loads, so that no early message is lost.
self.onmessage = (event) => {
  if (core) answer(event.data);
  else if (fatal) self.postMessage({ fatal });
  else waiting.push(event.data);
};

function answer({ id, kind, bytes, packing, athlete }) {
  let input = new Uint8Array(bytes);
  if (kind === 'unpack') {
    // Only unpack (a zip inside a zip): the file, or the reason as the reply.
    let out;
    try {
      out = core.unpack_file(input, packing);
    } catch (e) {
      self.postMessage({ id, reply: `${e}` });
      return;
    }
    self.postMessage({ id, reply: '', bytes: out.buffer }, [out.buffer]);
    return;
  }
  let unpacked = null;
  let reply;
  try {
    if (packing) input = unpacked = core.unpack_file(input, packing);
    reply = kind === 'report' ? core.analyze_report(input, athlete || '') : core.analyze_summary(input);
  } catch (e) {
    const failed = { Err: packing && !unpacked ? `${e}` : `the analysis stopped: ${e}` };
    reply = JSON.stringify(kind === 'report' ? failed : { sha256: '', summary: failed });
  }
  if (unpacked) self.postMessage({ id, reply, bytes: unpacked.buffer }, [unpacked.buffer]);
  else self.postMessage({ id, reply });
}

import(params.get('js'))
  .then(async (module) => {
    // The default URL of the wasm (next to the JS, with a _bg suffix) does not exist: pass it.
    const exports = await module.default({ module_or_path: params.get('wasm') });
    // For measurements (bench/import.mjs reads the wasm memory's size; it never shrinks).
    self.strideMemory = exports.memory;
    core = module;
    waiting.splice(0).forEach(answer);
  })
  .catch((e) => {
    fatal = `the analysis worker could not load: ${e}`;
    self.postMessage({ fatal });
  });
