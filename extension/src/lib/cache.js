// @ts-check
// A value read once and kept until it is invalidated: the worker's configuration, read from
// storage on first use after each change.

/**
 * `load(isCurrent)` read once and shared until `invalidate()`. A read still in flight when the
 * value is invalidated (storage read before a save, finishing after it) is handed to the callers
 * that asked for it, but never kept: the next `get()` reads again. `isCurrent()` tells `load`
 * whether it is still the read that will be kept (so it writes nothing back when it is not).
 * A failed read is not kept either.
 * @template T
 * @param {(isCurrent: () => boolean) => Promise<T>} load
 * @returns {{ get(): Promise<T>, invalidate(): void }}
 */
export function cached(load) {
  /** @type {Promise<T> | null} */
  let value = null; // the promise of the current read
  let generation = 0;
  return {
    get() {
      if (!value) {
        const mine = ++generation;
        const p = load(() => generation === mine);
        value = p;
        p.catch(() => {
          if (value === p) value = null;
        });
      }
      return value;
    },
    invalidate() {
      value = null;
      generation += 1;
    },
  };
}
