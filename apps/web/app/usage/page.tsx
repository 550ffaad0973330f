import { UsageDashboard } from '../../src/components/usage/usage-dashboard';
import { requireUser } from '../../src/server/session';

export const dynamic = 'force-dynamic';

export default async function UsagePage() {
  await requireUser();
  return (
    <>
      <h1>Usage</h1>
      <UsageDashboard />
    </>
  );
}
