/**
 * The part of autocannon's API the bench uses (the package ships no types): one run with
 * per-request setup, its result's error counts, and the per-response event with the latency.
 */
declare module "autocannon" {
  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      body?: string;
      headers?: Record<string, string>;
      /** Returns the request to send, or a falsy value to end the connection's run. */
      setupRequest?: (request: Request, context: Record<string, unknown>) => Request | undefined;
      /** Sees each answer; what it puts on `context` reaches the next setupRequest. */
      onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
    }
    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      timeout?: number;
      headers?: Record<string, string>;
      requests?: Request[];
    }
    interface Result {
      errors: number;
      timeouts: number;
    }
    interface Instance {
      on(
        event: "response",
        listener: (
          client: unknown,
          statusCode: number,
          bytes: number,
          responseTime: number,
        ) => void,
      ): void;
      stop(): void;
    }
  }
  function autocannon(
    options: autocannon.Options,
    done: (error: Error | null, result: autocannon.Result) => void,
  ): autocannon.Instance;
  export type Request = autocannon.Request;
  export default autocannon;
}
