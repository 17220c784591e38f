// Unit tests (src/**/*.test.ts) and the end-to-end tests (test/**/*.test.ts: the built site in headless
// Chromium). Runs in band: one browser at a time on a small machine.
const preset = require('../../jest.preset.cjs')(__dirname);

module.exports = { ...preset, maxWorkers: 1 };
