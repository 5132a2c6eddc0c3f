import { Writable } from 'node:stream';

/** A log destination that keeps what a service logged, for tests to read one JSON object per line. */
export class LogCapture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
  lines(): Array<Record<string, unknown>> {
    return this.text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}
