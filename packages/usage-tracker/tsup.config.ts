import { relaykitTsup } from '../../tooling/tsup.base.ts';

export default relaykitTsup({
  index: 'src/index.ts',
  postgres: 'src/drivers/postgres.ts',
  pglite: 'src/drivers/pglite.ts',
  supabase: 'src/drivers/supabase.ts',
  redis: 'src/drivers/redis.ts',
  testing: 'src/testing/index.ts',
});
