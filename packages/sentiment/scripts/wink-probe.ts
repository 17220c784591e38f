import { loadWinkEmbeddings, Vocab } from '@rnnkit/text';
const t0 = Date.now();
const v = Vocab.fromTokens(['good', 'bad', "n't", '(', 'zzqqxx']);
const wv = await loadWinkEmbeddings(v, { moduleName: process.argv[2] as string });
console.log(wv.report, wv.coverage, Date.now() - t0, 'ms', process.memoryUsage().rss / 1e6);
