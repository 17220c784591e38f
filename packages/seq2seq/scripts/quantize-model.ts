// Rewrites a translator folder with quantized weights (atomic; dequantized to float32 on load):
//   npx tsx scripts/quantize-model.ts --model DIR [--quantization float16] [--out DIR]
import { initBackend, type Quantization } from '@rnnkit/core';
import { Translator } from '../src/index';
import { parseArgs } from './common';

const args = parseArgs(process.argv.slice(2));
const model = args['model'];
if (!model) throw new Error('Expected --model DIR');
await initBackend();
const t = await Translator.load(model);
const quantization = (args['quantization'] ?? 'float16') as Quantization;
t.artifacts.meta = { ...t.artifacts.meta, quantization };
await t.save(args['out'] ?? model, { quantization });
console.log(`saved ${args['out'] ?? model} with ${quantization} weights`);
t.dispose();
