import { ROUTES } from '../../constants';
import { routeOf } from './App';

describe('routeOf(path)', () => {
  test.each([
    { path: '/a/spothreat-app/models', route: ROUTES.Models },
    { path: '/a/spothreat-app/investigation/extra', route: ROUTES.Investigation },
    { path: '/a/spothreat-app', route: ROUTES.Suspicious },
    { path: '/a/spothreat-app/unknown', route: ROUTES.Suspicious },
    { path: '/d/other', route: ROUTES.Suspicious },
  ])('opens $route for $path', ({ path, route }) => {
    expect(routeOf(path)).toBe(route);
  });
});
