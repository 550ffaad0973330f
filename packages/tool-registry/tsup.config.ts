import { relaykitTsup } from '../../tooling/tsup.base.ts';

export default relaykitTsup({
  index: 'src/index.ts',
  agents: 'src/agents.ts',
  postgres: 'src/postgres.ts',
  testing: 'src/testing/index.ts',
});
