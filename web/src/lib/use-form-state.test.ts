import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { formSteps, IDLE, useFormState, type FormStatus } from "./use-form-state";

/**
 * The web tests run in Node without a DOM, so React cannot re-render here: the steps run on a
 * status held in a plain object (what the hook keeps in `useState`), and the hook itself is
 * rendered once on the server for what it starts with.
 */
function harness(initial: Partial<FormStatus> = {}) {
  const seen: FormStatus[] = [];
  let status: FormStatus = { ...IDLE, ...initial };
  let focused = 0;
  const steps = formSteps(
    status,
    (patch) => {
      status = { ...status, ...patch };
      seen.push(status);
    },
    () => focused++,
    (caught) => `described: ${String(caught)}`,
  );
  return { steps, seen, status: () => status, focused: () => focused };
}

const event = () => {
  let prevented = false;
  return { preventDefault: () => void (prevented = true), prevented: () => prevented };
};

describe("formSteps", () => {
  it("start prevents the browser's submit, clears the last errors, and refuses while busy", () => {
    const idle = harness({ error: "old", fieldError: "old field" });
    const submit = event();
    expect(idle.steps.start(submit)).toBe(true);
    expect(submit.prevented()).toBe(true);
    expect(idle.status()).toEqual(IDLE);

    const busy = harness({ busy: true, error: "kept" });
    const again = event();
    expect(busy.steps.start(again)).toBe(false);
    expect(again.prevented()).toBe(true);
    expect(busy.status()).toEqual({ busy: true, error: "kept", fieldError: null });
  });

  it("invalid puts the message at the field and focuses it", () => {
    const form = harness();
    form.steps.invalid("Enter a name.");
    expect(form.status()).toEqual({ ...IDLE, fieldError: "Enter a name." });
    expect(form.focused()).toBe(1);
  });

  it("run is busy while the action runs and idle after success", async () => {
    const form = harness({ error: "old" });
    let during: FormStatus | null = null;
    const ok = await form.steps.run(() => {
      during = form.status();
      return Promise.resolve();
    });
    expect(ok).toBe(true);
    expect(during).toEqual({ busy: true, error: null, fieldError: null });
    expect(form.status()).toEqual(IDLE);
  });

  it("run stays busy after success when the form is leaving, and not after a failure", async () => {
    const leaving = harness();
    expect(await leaving.steps.run(() => Promise.resolve(), { leaving: true })).toBe(true);
    expect(leaving.status().busy).toBe(true);

    const failed = harness();
    const ok = await failed.steps.run(() => Promise.reject(new Error("refused")), {
      leaving: true,
    });
    expect(ok).toBe(false);
    expect(failed.status()).toEqual({
      busy: false,
      error: "described: Error: refused",
      fieldError: null,
    });
  });

  it("run maps a failure to the form, to the field (focused) or to nowhere", async () => {
    const toForm = harness();
    await toForm.steps.run(() => Promise.reject(new Error("x")), { failure: () => "Try later." });
    expect(toForm.status()).toEqual({ ...IDLE, error: "Try later." });
    expect(toForm.focused()).toBe(0);

    const toField = harness();
    await toField.steps.run(() => Promise.reject(new Error("x")), {
      failure: () => ({ field: "Wrong." }),
    });
    expect(toField.status()).toEqual({ ...IDLE, fieldError: "Wrong." });
    expect(toField.focused()).toBe(1);

    const elsewhere = harness();
    await elsewhere.steps.run(() => Promise.reject(new Error("x")), { failure: () => null });
    expect(elsewhere.status()).toEqual(IDLE);
    expect(elsewhere.focused()).toBe(0);
  });

  it("run gives the mapping what the action threw, and marks busy before the action starts", async () => {
    const form = harness();
    const thrown = new Error("the server's");
    let given: unknown = null;
    await form.steps.run(
      () => {
        expect(form.status().busy).toBe(true);
        return Promise.reject(thrown);
      },
      { failure: (caught) => ((given = caught), "shown") },
    );
    expect(given).toBe(thrown);
    expect(form.seen.map((s) => s.busy)).toEqual([true, false]);
  });
});

describe("useFormState", () => {
  it("starts idle, with a field ref and its setters", () => {
    let hook: ReturnType<typeof useFormState> | null = null;
    function Probe() {
      hook = useFormState(() => "described");
      return createElement("p", null, `${hook.busy}|${hook.error}|${hook.fieldError}`);
    }
    expect(renderToStaticMarkup(createElement(Probe))).toBe("<p>false|null|null</p>");
    expect(hook).not.toBeNull();
    const rendered = hook as unknown as ReturnType<typeof useFormState>;
    expect(rendered.fieldRef.current).toBeNull();
    expect(typeof rendered.setError).toBe("function");
    expect(typeof rendered.setFieldError).toBe("function");
  });
});
