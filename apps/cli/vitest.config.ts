import { relaykitVitestProject } from '../../tooling/vitest.project.ts';

export default relaykitVitestProject('cli');
