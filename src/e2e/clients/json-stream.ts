// Splits a stream of JSON texts written one after another (kubectl's
// `get -w -o json` prints indented objects back to back; `--raw` watches and
// the Python driver print one per line) into whole values, however the
// bytes arrive in chunks.

export class JsonStream {
  private buf = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private scanned = 0;

  constructor(private readonly onValue: (v: unknown) => void) {}

  push(chunk: string): void {
    this.buf += chunk;
    for (let i = this.scanned; i < this.buf.length; i++) {
      const c = this.buf[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
        continue;
      }
      if (c === '"') this.inString = true;
      else if (c === '{' || c === '[') {
        if (this.depth++ === 0) this.start = i;
      } else if ((c === '}' || c === ']') && --this.depth === 0) {
        const text = this.buf.slice(this.start, i + 1);
        this.buf = this.buf.slice(i + 1);
        i = -1;
        this.start = -1;
        this.onValue(JSON.parse(text));
      }
    }
    this.scanned = this.buf.length;
    if (this.depth === 0) {
      this.buf = '';
      this.scanned = 0;
    }
  }
}
