// Stride's analysis worker: runs the page's own wasm module (no second build) and answers
// { id, kind: "summary" | "report", bytes: ArrayBuffer, athlete?: JSON text } with
// { id, reply: JSON text }.
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

function answer({ id, kind, bytes, athlete }) {
  const input = new Uint8Array(bytes);
  let reply;
  try {
    reply = kind === 'report' ? core.analyze_report(input, athlete || '') : core.analyze_summary(input);
  } catch (e) {
    const failed = { Err: `the analysis stopped: ${e}` };
    reply = JSON.stringify(kind === 'report' ? failed : { sha256: '', summary: failed });
  }
  self.postMessage({ id, reply });
}

import(params.get('js'))
  .then(async (module) => {
    // The default URL of the wasm (next to the JS, with a _bg suffix) does not exist: pass it.
    await module.default({ module_or_path: params.get('wasm') });
    core = module;
    waiting.splice(0).forEach(answer);
  })
  .catch((e) => {
    fatal = `the analysis worker could not load: ${e}`;
    self.postMessage({ fatal });
  });
