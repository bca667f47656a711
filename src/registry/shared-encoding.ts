// The encodings of one watch event, made once and shared by every watcher
// that sends it in the same form (kube-apiserver's cachingObject): with N
// watchers of a resource, an event is serialized once per encoding, not N
// times. It lives only while the event is being dispatched.

export class SharedEncodings {
  private cache?: Map<string, Buffer>;
  /** Encodings made here (for tests and metrics). */
  made = 0;

  /** The encoding named `key` (type, format, version: whatever makes it differ), made on first use. */
  encode(key: string, make: () => Buffer): Buffer {
    const cache = (this.cache ??= new Map());
    let b = cache.get(key);
    if (b === undefined) {
      b = make();
      this.made++;
      cache.set(key, b);
    }
    return b;
  }
}
