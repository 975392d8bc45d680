import { createHook } from "node:async_hooks";

/**
 * Promises made per call, over `times` calls one after the other; every answer is kept. For the
 * hot paths' promise budgets (issue 24): counted by an async hook, light-my-request's own and
 * this loop's await included, so a budget holds only for calls counted the same way.
 */
export async function promisesPer<T>(times: number, call: () => Promise<T>) {
  const answers: T[] = [];
  let made = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === "PROMISE") made++;
    },
  });
  hook.enable();
  try {
    for (let i = 0; i < times; i++) answers.push(await call());
  } finally {
    hook.disable();
  }
  return { perCall: made / times, answers };
}
