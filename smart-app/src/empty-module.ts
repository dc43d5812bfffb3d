/** Stands in for fhirclient's node-only crypto fallback: browsers have globalThis.crypto. */
export default undefined;
