import { ImagesApp } from '../../src/components/images/images-app';
import { requireUser } from '../../src/server/session';

export const dynamic = 'force-dynamic';

export default async function ImagesPage() {
  await requireUser();
  return (
    <>
      <h1>Images</h1>
      <ImagesApp />
    </>
  );
}
