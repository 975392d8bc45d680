/**
 * The reading secrets of end-to-end requests made in this browser (SPEC F13), kept in IndexedDB
 * so that the dashboard opens their answers here without the reading link. The secret never
 * goes to the server; only this origin's pages can read the store. Every failure (private mode,
 * storage off, quota) degrades to "not kept": the page then asks for the reading link.
 */

const DB_NAME = "hushlink";
const STORE = "request-keys";

export interface KeptRequest {
  id: string;
  /** R, base64url: the reading link's fragment. */
  readingSecret: string;
  /** The link to send (with the fingerprint), so the dashboard can copy it again. */
  requestLink: string;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const opening = window.indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = () => {
      opening.result.createObjectStore(STORE, { keyPath: "id" });
    };
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error ?? new Error("IndexedDB did not open"));
    opening.onblocked = () => reject(new Error("IndexedDB is blocked"));
  });
}

async function run<T>(
  mode: IDBTransactionMode,
  action: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = action(tx.objectStore(STORE));
      // Resolve on commit, so a kept secret is on disk before the page says it is.
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? new Error("IndexedDB transaction failed"));
      tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
    });
  } finally {
    db.close();
  }
}

/** Keeps the secret; false when this browser does not let the page keep anything. */
export async function keepRequest(entry: KeptRequest): Promise<boolean> {
  try {
    await run("readwrite", (store) => store.put(entry));
    return true;
  } catch {
    return false;
  }
}

const isKept = (value: unknown): value is KeptRequest =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as KeptRequest).id === "string" &&
  typeof (value as KeptRequest).readingSecret === "string" &&
  typeof (value as KeptRequest).requestLink === "string";

export async function keptRequest(id: string): Promise<KeptRequest | null> {
  try {
    const found = (await run("readonly", (store) => store.get(id))) as unknown;
    return isKept(found) ? found : null;
  } catch {
    return null;
  }
}

/** Everything this browser keeps, by request id (the dashboard's Open and Copy link use it). */
export async function keptRequests(): Promise<Map<string, KeptRequest>> {
  try {
    const all = (await run("readonly", (store) => store.getAll())) as unknown[];
    return new Map(all.filter(isKept).map((entry) => [entry.id, entry]));
  } catch {
    return new Map();
  }
}

/** Drops a deleted request's secret. */
export async function forgetRequest(id: string): Promise<void> {
  try {
    await run("readwrite", (store) => store.delete(id));
  } catch {
    // Nothing kept, or nothing to keep it in.
  }
}
