'use client';

import { useState } from 'react';
import { BatchImages } from './batch-images';
import { Gallery } from './gallery';
import { SingleImage } from './single-image';

/** The images page: one image with regenerate, a batch with progress, and every image the user stored. */
export function ImagesApp() {
  const [version, setVersion] = useState(0);
  const refresh = () => setVersion((current) => current + 1);
  return (
    <>
      <div className="images">
        <SingleImage onStored={refresh} />
        <BatchImages onStored={refresh} />
      </div>
      <Gallery version={version} />
    </>
  );
}
