import { relaykitTsup } from '../../tooling/tsup.base.ts';

export default relaykitTsup({ index: 'src/index.ts', cookies: 'src/cookies.ts' });
