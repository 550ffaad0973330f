import { relaykitTsup } from '../../tooling/tsup.base.ts';

export default relaykitTsup({
  index: 'src/index.ts',
  http: 'src/http/index.ts',
  examples: 'examples/index.ts',
});
