import { BatchImages } from './batch-images';
import { SingleImage } from './single-image';

/** The images page: one image with regenerate, and a batch with progress. */
export function ImagesApp() {
  return (
    <div className="images">
      <SingleImage />
      <BatchImages />
    </div>
  );
}
