import { useEffect, useState } from 'react';

export interface Fetched<T> {
  value?: T;
  loading: boolean;
  error?: string;
}

/**
 * Runs a request whenever its inputs change and keeps only the latest answer, so a slow response for an old time
 * range never overwrites a newer one. `load` returning undefined means "nothing to fetch yet".
 */
export function useFetch<T>(load: () => Promise<T> | undefined, deps: readonly unknown[]): Fetched<T> & { reload: () => void } {
  const [state, setState] = useState<Fetched<T>>({ loading: true });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    const pending = load();
    if (!pending) {
      setState({ loading: false });
      return;
    }
    setState((previous) => ({ value: previous.value, loading: true }));
    pending.then(
      (value) => current && setState({ value, loading: false }),
      (error) => current && setState({ loading: false, error: errorMessage(error) })
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, generation]);
  return { ...state, reload: () => setGeneration((g) => g + 1) };
}

export function errorMessage(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { data?: { message?: string }; message?: string; statusText?: string; status?: number };
    return e.data?.message ?? e.message ?? e.statusText ?? `request failed${e.status ? ` (${e.status})` : ''}`;
  }
  return String(error);
}
