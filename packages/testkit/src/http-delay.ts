/** What the delay needs of a response, HTTP/1.1 or HTTP/2. */
export interface ClosableResponse {
  readonly destroyed: boolean;
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

/**
 * Waits `ms` before a stub answers, unless the client hangs up first: resolves `true` when the
 * response can still be written, `false` when the client went away. The timer is tracked in
 * `timers` so that closing the stub cancels it.
 */
export function delayUnlessClosed(res: ClosableResponse, ms: number, timers: Set<NodeJS.Timeout>): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      timers.delete(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      timers.delete(timer);
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    timers.add(timer);
    res.once('close', onClose);
  });
}
