// What the extension's scripts find in their worlds besides the DOM, for tsc
// (tests/js/tsconfig.extension.json): the build-time test flag and the WebExtension API objects.
declare const __SLA_TEST__: boolean;
declare var chrome: any;
declare var browser: any;
/** The content script's once-per-page mark (content.js `start`). */
declare var __slaLensStarted: boolean | undefined;
