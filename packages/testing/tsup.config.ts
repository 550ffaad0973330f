import { relaykitTsup } from '../../tooling/tsup.base.ts';

export default relaykitTsup(
  {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    fuzz: 'src/fuzz.ts',
    postgres: 'src/postgres.ts',
    supabase: 'src/supabase.ts',
  },
  { platform: 'node' },
);
