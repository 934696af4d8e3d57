// BullMQ loads sandboxed processors with a plain import() in a worker thread, which cannot read TypeScript;
// this shim registers tsx in that thread first, then hands over the processor written in TypeScript.
require('tsx/cjs');
module.exports = require('./jobProcessor.ts').default;
