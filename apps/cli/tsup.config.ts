import { relaykitTsup } from '../../tooling/tsup.base.ts';

export default relaykitTsup({ cli: 'src/cli.ts' }, { platform: 'node' });
