import { relaykitTsup } from '../../tooling/tsup.base.ts';

export default relaykitTsup({
  index: 'src/index.ts',
  postgres: 'src/postgres.ts',
  redis: 'src/redis.ts',
  testing: 'src/testing/index.ts',
  widgets: 'src/widgets/index.ts',
});
