// Removes the temporary npm project of globalSetup.cjs.
const { rmSync } = require('node:fs');

module.exports = async function globalTeardown() {
  if (process.env.RNNKIT_PACK_WORK) rmSync(process.env.RNNKIT_PACK_WORK, { recursive: true, force: true });
};
