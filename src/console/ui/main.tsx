// Entry point of the console bundle.

import { render } from 'preact';
import { App } from './app.js';

render(<App />, document.getElementById('app')!);
