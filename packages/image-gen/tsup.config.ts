import { relaykitTsup } from '../../tooling/tsup.base.ts';

export default relaykitTsup({
  index: 'src/index.ts',
  filesystem: 'src/filesystem.ts',
  supabase: 'src/supabase.ts',
  postgres: 'src/postgres.ts',
  testing: 'src/testing/index.ts',
});
