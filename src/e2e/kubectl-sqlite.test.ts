// The end-to-end kubectl suite on the default storage (SQLite).
import { runApiSuite } from './api-suite.js';

runApiSuite('sqlite', () => ({ storage: 'sqlite' }));
