// Entry of a load worker process: runs the jobs the bench sends over IPC, one
// at a time, and answers each with its result (or its error).

import { runHttpLoad } from './http-load.js';
import type { Job } from './jobs.js';
import { runEtcdPuts, runList } from './list-and-etcd.js';
import { runPacedWrites } from './paced-writer.js';
import { WatcherPool } from './watchers.js';

const watchers = new WatcherPool();

async function run(job: Job): Promise<unknown> {
  switch (job.kind) {
    case 'http':
      return runHttpLoad(job);
    case 'paced-writes':
      return runPacedWrites(job);
    case 'watch-open':
      return watchers.open(job);
    case 'watch-collect':
      return watchers.collect(job);
    case 'list':
      return runList(job);
    case 'etcd-puts':
      return runEtcdPuts(job);
  }
}

process.on('message', (msg: { id: number; job: Job }) => {
  run(msg.job).then(
    (result) => process.send!({ id: msg.id, result }),
    (err: Error) => process.send!({ id: msg.id, error: err.stack ?? err.message }),
  );
});
process.on('disconnect', () => process.exit(0));
