// Streams log text to an HTTP response as kube-apiserver and the kubelet do:
// `text/plain`, headers flushed at once (a follower sees the response start
// before the first line), and the source closed when the client goes away.

import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export async function sendLog(res: ServerResponse, stream: Readable): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  try {
    await pipeline(stream, res);
  } catch {
    // The client left (or the source failed mid-stream): nothing more can be said.
    stream.destroy();
  }
}
