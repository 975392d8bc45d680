/**
 * For the unit tier's tests (src/test is left out of the build): the AppError a call rejects
 * with, so a test checks its status, code and details together, and fails plainly when the call
 * succeeds or throws anything that is not an AppError.
 */
import { AppError } from "../errors.js";

export async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}
