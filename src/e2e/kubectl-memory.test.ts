// The end-to-end kubectl suite on the memory storage backend.
import { runApiSuite } from './api-suite.js';

runApiSuite('memory', () => ({ storage: 'memory' }));
