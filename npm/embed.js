// The single-file embed, sla-lens.embed.js (README, "One script tag"): the engine (the full
// Wasm module, inlined), the shim with <sla-badge>, and the drop-in tag's start-up, bundled by
// esbuild into one ES module that needs no file beside it. One tag on any page:
//   <script type="module" src="…/sla-lens.embed.js" data-tickets="tickets.json" data-policy="policy.json"></script>
// (or data-tracker=… on a tracker's pages, as the drop-in: www/sla-lens-dropin.js). A page's own
// module may import the shim's API from the same URL.
import './embed-engine.js';
import '../www/sla-lens-dropin.js';

export * from '../www/sla-lens.js';
