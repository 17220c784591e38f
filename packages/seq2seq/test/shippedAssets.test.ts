// The shipped model's files, as src/shipped.ts names them for bundlers (see core's test helper).
import { join } from 'node:path';
import { describeShippedAssets } from '../../core/test/util/shippedAssets';

describeShippedAssets(join(__dirname, '..'));
