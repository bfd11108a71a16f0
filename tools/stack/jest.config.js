import { jestPreset } from '../../jest.preset.js';

// These tests run the built services as separate processes, the way `npm start` does.
export default { ...jestPreset, displayName: 'stack', testTimeout: 120000 };
