import { relaykitTsup } from '../../tooling/tsup.base.ts';

export default relaykitTsup({
  index: 'src/index.ts',
  pglite: 'src/drivers/pglite.ts',
  postgres: 'src/drivers/postgres.ts',
  supabase: 'src/drivers/supabase.ts',
  testing: 'src/testing/index.ts',
});
