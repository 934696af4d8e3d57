// Grafana serves a plugin from wherever it is installed (a CDN, a sub-path), so lazy chunks are fetched relative to
// the URL this module.js was loaded from, which the AMD loader hands over as the `module` dependency.
import amdModule from 'amd-module';

import { PLUGIN_ID } from './constants';

const uri: string | undefined = amdModule?.uri;
__webpack_public_path__ = uri ? uri.slice(0, uri.lastIndexOf('/') + 1) : `public/plugins/${PLUGIN_ID}/`;
