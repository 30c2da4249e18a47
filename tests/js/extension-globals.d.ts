// What the extension's scripts find in their worlds besides the DOM, for tsc
// (tests/js/tsconfig.extension.json): the build-time test flag and the WebExtension API objects.
declare const __SLA_TEST__: boolean;
declare var chrome: any;
declare var browser: any;
