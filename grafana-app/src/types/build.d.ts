/** The AMD loader's `module` object (SystemJS's AMD extra and RequireJS both give its URL). */
declare module 'amd-module' {
  const amdModule: { uri?: string; id?: string } | undefined;
  export default amdModule;
}

declare let __webpack_public_path__: string;
