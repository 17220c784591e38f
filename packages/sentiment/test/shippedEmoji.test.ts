// The shipped model reads sentiment emoji as words (its config has `emoji: true`): issue 15's "This film 👎"
// came out positive 0.71 when the emoji was an unknown token.
import { join } from 'node:path';
import { initBackend } from '@rnnkit/core';
import { SentimentClassifier } from '../src/index';

describe('shipped model and emoji', () => {
  let clf: SentimentClassifier;
  beforeAll(async () => {
    await initBackend();
    clf = await SentimentClassifier.load(join(__dirname, '..', 'model'));
  });
  afterAll(() => clf.dispose());

  it('turns a thumbs down negative and a thumbs up positive, with the emoji counted as known', () => {
    expect(clf.preprocessor.config.emoji).toBe(true);
    const down = clf.predict('This film 👎');
    const up = clf.predict('This film 👍');
    expect(down.label).toBe('negative');
    expect(up.label).toBe('positive');
    expect(down.coverage).toBe(1);
    expect(clf.predict('我爱你').lowCoverage).toBe(true); // still flagged: no English words
  });
});
