// A value read again only after a while: the catalogue a cloud rarely changes (flavors, images).

/** `read`, called at most once per `ttlMs` (concurrent callers share one call); a failure is not kept. */
export function ttlCached<T>(ttlMs: number, read: () => Promise<T>): () => Promise<T> {
  let held: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!held || Date.now() - held.at > ttlMs) {
      const entry = { at: Date.now(), value: read() };
      held = entry;
      entry.value.catch(() => {
        if (held === entry) held = undefined;
      });
    }
    return held.value;
  };
}
