import { locationService } from '@grafana/runtime';
import { useEffect, useState } from 'react';

/** The current URL's query parameters, re-read whenever Grafana's location changes. */
export function useLocationSearch(): URLSearchParams {
  const [search, setSearch] = useState(() => locationService.getLocation().search);
  useEffect(() => locationService.getHistory().listen((location: { search: string }) => setSearch(location.search)), []);
  return new URLSearchParams(search);
}

/** The current URL's path, re-read whenever Grafana's location changes. */
export function useLocationPath(): string {
  const [path, setPath] = useState(() => locationService.getLocation().pathname);
  useEffect(() => locationService.getHistory().listen((location: { pathname: string }) => setPath(location.pathname)), []);
  return path;
}
