/* @ts-self-types="./sla_lens.d.ts" */

/**
 * A checked SLA policy, ready to evaluate tickets. Call `free()` when done with it (or let the
 * finalizer do it).
 */
export class SlaEngine {
    static __wrap(ptr) {
        const obj = Object.create(SlaEngine.prototype);
        obj.__wbg_ptr = ptr;
        SlaEngineFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        SlaEngineFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_slaengine_free(ptr, 0);
    }
    /**
     * The names of the policy's calendars, `24x7` first.
     * @returns {string[]}
     */
    get calendars() {
        const ret = wasm.slaengine_calendars(this.__wbg_ptr);
        var v1 = getArrayJsValueFromWasm0(ret[0], ret[1]);
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * Deadlines on one of the policy's calendars for many starts at once: for each start
     * (epoch ms, floored to the second) the instant (epoch ms) at which `durationSeconds` of
     * business time are used. `durationSeconds` is one number for all, or one per start.
     * A start outside the calendar's years gives `NaN` in its slot.
     * @param {string} calendar
     * @param {Float64Array | number[]} startsMs
     * @param {number | Float64Array} durationSeconds
     * @returns {Float64Array}
     */
    deadlines(calendar, startsMs, durationSeconds) {
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passStringToWasm0(calendar, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passArrayF64ToWasm0(startsMs, wasm.__wbindgen_malloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 8, 8); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.slaengine_deadlines(this.__wbg_ptr, ptr0, len0, ptr1, len1, durationSeconds);
        if (ret[3]) {
            throw takeFromExternrefTable0(ret[2]);
        }
        var v3 = getArrayF64FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 8, 8);
        return v3;
    }
    /**
     * The built-in default (seed) policy.
     * @returns {SlaEngine}
     */
    static defaultPolicy() {
        const ret = wasm.slaengine_defaultPolicy();
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return SlaEngine.__wrap(ret[0]);
    }
    /**
     * Business seconds in `[start, end)` on one of the policy's calendars, for many pairs at
     * once (epoch ms, floored to the second). `0` when `end <= start`; `NaN` outside the
     * calendar's years.
     * @param {string} calendar
     * @param {Float64Array | number[]} startsMs
     * @param {Float64Array | number[]} endsMs
     * @returns {Float64Array}
     */
    elapsed(calendar, startsMs, endsMs) {
        let ptr0, len0, ptr1, len1, ptr2, len2;
        try {
            ptr0 = passStringToWasm0(calendar, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passArrayF64ToWasm0(startsMs, wasm.__wbindgen_malloc);
            len1 = WASM_VECTOR_LEN;
            ptr2 = passArrayF64ToWasm0(endsMs, wasm.__wbindgen_malloc);
            len2 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 8, 8); }
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 8, 8); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.slaengine_elapsed(this.__wbg_ptr, ptr0, len0, ptr1, len1, ptr2, len2);
        if (ret[3]) {
            throw takeFromExternrefTable0(ret[2]);
        }
        var v4 = getArrayF64FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 8, 8);
        return v4;
    }
    /**
     * Evaluates a batch like `evaluate` and returns only what a table row needs (`BoardRows`:
     * numbers in a Float64Array, texts in a string table), the unreadable tickets apart, and
     * the batch's next change. Pass the JSON text when you have it: it is read without
     * `JSON.stringify`.
     * @param {TicketInput[] | string} tickets
     * @param {number} nowMs
     * @returns {BoardRows}
     */
    evaluateRows(tickets, nowMs) {
        const ret = wasm.slaengine_evaluateRows(this.__wbg_ptr, tickets, nowMs);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * `evaluateRows` over a `TicketSet`: the tickets were read once, when the set was made,
     * so a re-evaluation (a minute later, or under another policy) only evaluates.
     * @param {TicketSet} set
     * @param {number} nowMs
     * @returns {BoardRows}
     */
    evaluateSetRows(set, nowMs) {
        _assertClass(set, TicketSet);
        const ret = wasm.slaengine_evaluateSetRows(this.__wbg_ptr, set.__wbg_ptr, nowMs);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Evaluates a whole batch in one call. `tickets` is an array of ticket objects, or the JSON
     * text of one (an array or `{"tickets": [...]}`). One result per ticket, in order; a bad
     * ticket gives `{id, error}` and does not stop the others. With `{explain: true}` each
     * result also carries `explanation` (the trace and the tooltip sentences).
     * @param {TicketInput[] | string} tickets
     * @param {number} nowMs
     * @param {EvaluateOptions} [options]
     * @returns {TicketResult[]}
     */
    evaluate(tickets, nowMs, options) {
        const val1 = +nowMs;
        const ret = wasm.slaengine_evaluate(this.__wbg_ptr, tickets, val1, isLikeNone(options) ? 0 : addToExternrefTable0(options));
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Explains one ticket: its evaluation, the trace of what counted, paused, fell outside
     * hours or on holidays, and the tooltip sentences. Throws a `TicketError` for a bad ticket.
     * @param {TicketInput} ticket
     * @param {number} nowMs
     * @returns {Explanation}
     */
    explain(ticket, nowMs) {
        const ret = wasm.slaengine_explain(this.__wbg_ptr, ticket, nowMs);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * The policy's id.
     * @returns {string}
     */
    get id() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.slaengine_id(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * The policy's human name.
     * @returns {string}
     */
    get name() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.slaengine_name(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * Reads and checks a policy from its JSON **text** (so unknown fields are caught).
     * Throws a `PolicyError` whose `diagnostics` lists every problem.
     * @param {string} policyText
     */
    constructor(policyText) {
        const ptr0 = passStringToWasm0(policyText, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.slaengine_new(ptr0, len0);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        this.__wbg_ptr = ret[0];
        SlaEngineFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * The next instant (epoch ms) at which any of these results changes state or escalation
     * level: re-evaluate then. Reads `nextChange` of each batch result, evaluation or
     * explanation. `nowMs` when a change is already due (the results are stale); `null` when
     * nothing will change without a new event.
     * @param {HasNextChange[]} evaluations
     * @param {number} nowMs
     * @returns {number | null}
     */
    nextChange(evaluations, nowMs) {
        const ret = wasm.slaengine_nextChange(this.__wbg_ptr, evaluations, nowMs);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Every cell of the report as CSV, one row each (`sla-lens report --format csv`).
     * @param {TicketInput[] | string | string[] | Uint8Array} tickets
     * @param {ReportOptions} options
     * @returns {string}
     */
    reportCsv(tickets, options) {
        let deferred2_0;
        let deferred2_1;
        try {
            const ret = wasm.slaengine_reportCsv(this.__wbg_ptr, tickets, options);
            var ptr1 = ret[0];
            var len1 = ret[1];
            if (ret[3]) {
                ptr1 = 0; len1 = 0;
                throw takeFromExternrefTable0(ret[2]);
            }
            deferred2_0 = ptr1;
            deferred2_1 = len1;
            return getStringFromWasm0(ptr1, len1);
        } finally {
            wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
        }
    }
    /**
     * The report as Markdown tables for a review meeting (`sla-lens report --format markdown`).
     * @param {TicketInput[] | string | string[] | Uint8Array} tickets
     * @param {ReportOptions} options
     * @returns {string}
     */
    reportMarkdown(tickets, options) {
        let deferred2_0;
        let deferred2_1;
        try {
            const ret = wasm.slaengine_reportMarkdown(this.__wbg_ptr, tickets, options);
            var ptr1 = ret[0];
            var len1 = ret[1];
            if (ret[3]) {
                ptr1 = 0; len1 = 0;
                throw takeFromExternrefTable0(ret[2]);
            }
            deferred2_0 = ptr1;
            deferred2_1 = len1;
            return getStringFromWasm0(ptr1, len1);
        } finally {
            wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
        }
    }
    /**
     * The review report over `tickets` (canonical tickets as JSON text or an array, or with
     * `options.tracker` the tracker's own REST responses): exactly the figures of
     * `sla-lens report --format json` for the same export, period and now.
     * @param {TicketInput[] | string | string[] | Uint8Array} tickets
     * @param {ReportOptions} options
     * @returns {Report}
     */
    report(tickets, options) {
        const ret = wasm.slaengine_report(this.__wbg_ptr, tickets, options);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Warnings found while loading the policy (errors prevent loading).
     * @returns {Diagnostic[]}
     */
    get warnings() {
        const ret = wasm.slaengine_warnings(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
}
if (Symbol.dispose) SlaEngine.prototype[Symbol.dispose] = SlaEngine.prototype.free;

/**
 * A batch of tickets read once and kept in Wasm memory: evaluate it again and again (every
 * minute, under any policy) with `engine.evaluateSetRows(set, nowMs)` without reading the
 * tickets' JSON each time. Made from the same input as `evaluate` (an array of ticket objects,
 * or the JSON text of one); a ticket that cannot be read stays an error for that ticket.
 * Call `free()` when the set is replaced.
 */
export class TicketSet {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        TicketSetFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_ticketset_free(ptr, 0);
    }
    /**
     * How many tickets the batch held (the unreadable ones included).
     * @returns {number}
     */
    get length() {
        const ret = wasm.ticketset_length(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Reads the tickets. Throws a `TicketError` only when the input holds no ticket list.
     * @param {TicketInput[] | string} tickets
     */
    constructor(tickets) {
        const ret = wasm.ticketset_new(tickets);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        this.__wbg_ptr = ret[0];
        TicketSetFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * How many of them could not be read (`evaluateSetRows` lists them in `errors`).
     * @returns {number}
     */
    get unreadable() {
        const ret = wasm.ticketset_unreadable(this.__wbg_ptr);
        return ret >>> 0;
    }
}
if (Symbol.dispose) TicketSet.prototype[Symbol.dispose] = TicketSet.prototype.free;

/**
 * Which page `url` is on a `tracker` site (after removing the site's `basePath`), or `null`.
 * A pure function of the URL's path and query: the caller checks the origin.
 * @param {TrackerName} tracker
 * @param {string} url
 * @param {SiteInput | null} [site]
 * @returns {TrackerPage | null}
 */
export function detectPage(tracker, url, site) {
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passStringToWasm0(tracker, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(url, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.detectPage(ptr0, len0, ptr1, len1, site);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * The text of a built-in example policy: `default` (the seed SLA, 24x7) or `business-hours`
 * (Mon–Fri 09:00–17:00 Europe/Berlin with German holidays).
 * @param {ExamplePolicy} name
 * @returns {string}
 */
export function examplePolicy(name) {
    let deferred3_0;
    let deferred3_1;
    try {
        const ptr0 = passStringToWasm0(name, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.examplePolicy(ptr0, len0);
        var ptr2 = ret[0];
        var len2 = ret[1];
        if (ret[3]) {
            ptr2 = 0; len2 = 0;
            throw takeFromExternrefTable0(ret[2]);
        }
        deferred3_0 = ptr2;
        deferred3_1 = len2;
        return getStringFromWasm0(ptr2, len2);
    } finally {
        wasm.__wbindgen_free(deferred3_0, deferred3_1, 1);
    }
}

/**
 * For each href (a path or an absolute URL of the site), the issue it links to (`"42"`,
 * `"MKT-7"`), or `null` when it is not a link to an issue page. One call for a whole page.
 * @param {TrackerName} tracker
 * @param {string[]} hrefs
 * @param {SiteInput | null} [site]
 * @returns {(string | null)[]}
 */
export function issueLinks(tracker, hrefs, site) {
    const ptr0 = passStringToWasm0(tracker, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.issueLinks(ptr0, len0, hrefs, site);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * Maps a CSV issue export (text, or its bytes: UTF-8 with or without BOM, or ISO-8859-1) under
 * a column mapping over the format's defaults. Rows that cannot be mapped are in `errors` with
 * their row, line and column; the rest are in `tickets`. Throws a `MappingError` for a mapping
 * with errors, and a `TicketError` for a file that cannot be read at all (no header, no id or
 * created column).
 * @param {CsvFormatName} format
 * @param {string | Uint8Array} data
 * @param {CsvMappingInput | null | undefined} mapping
 * @returns {MappedCsv}
 */
export function mapCsv(format, data, mapping) {
    const ptr0 = passStringToWasm0(format, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.mapCsv(ptr0, len0, data, mapping);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * Maps a tracker's own REST responses (Redmine, GitHub, GitLab, Jira; one JSON text or an array
 * of them) to canonical tickets with the default site mapping. Issues that cannot be mapped are
 * listed in `errors` with the reason; the rest are in `tickets`. Throws only for input that
 * holds no recognisable response at all.
 * @param {TrackerName} tracker
 * @param {string | string[] | object} _export
 * @returns {MappedExport}
 */
export function mapExport(tracker, _export) {
    const ptr0 = passStringToWasm0(tracker, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.mapExport(ptr0, len0, _export);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * Maps a tracker's REST responses (JSON texts or parsed objects, as fetched) to tickets under
 * a site's configuration (its defaults when `site` is left out): exactly what
 * `sla-lens eval --tracker T --site S` reads. An issue that cannot be read is in `errors`; a
 * response that is not JSON or not one of the tracker's shapes is in `rejected` and the
 * others are still mapped together (so list pages, per-issue responses and status names
 * combine as in the CLI). Throws only for a bad tracker name or site file.
 * @param {TrackerName} tracker
 * @param {(string | object)[] | string | object} responses
 * @param {SiteInput | null} [site]
 * @returns {MappedIssues}
 */
export function mapResponses(tracker, responses, site) {
    const ptr0 = passStringToWasm0(tracker, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.mapResponses(ptr0, len0, responses, site);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * Checks a policy document without keeping it: every error and warning, each with a path.
 * @param {string} text
 * @returns {ValidationResult}
 */
export function validatePolicy(text) {
    const ptr0 = passStringToWasm0(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.validatePolicy(ptr0, len0);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}

/**
 * Checks a site file (docs/trackers.md) without keeping it: every problem, each with a path.
 * @param {SiteInput} site
 * @returns {ValidationResult}
 */
export function validateSite(site) {
    const ret = wasm.validateSite(site);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_Error_208446807d0d1e30: function(arg0, arg1) {
            const ret = Error(getStringFromWasm0(arg0, arg1));
            return ret;
        },
        __wbg_String_8564e559799eccda: function(arg0, arg1) {
            const ret = String(arg1);
            const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            const len1 = WASM_VECTOR_LEN;
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
        },
        __wbg___wbindgen_is_falsy_d864b623500ae65d: function(arg0) {
            const ret = !arg0;
            return ret;
        },
        __wbg___wbindgen_is_null_c22311b1cc228e3a: function(arg0) {
            const ret = arg0 === null;
            return ret;
        },
        __wbg___wbindgen_is_object_8b968c3ab8e96595: function(arg0) {
            const val = arg0;
            const ret = typeof(val) === 'object' && val !== null;
            return ret;
        },
        __wbg___wbindgen_is_undefined_be5b34249ff1fc15: function(arg0) {
            const ret = arg0 === undefined;
            return ret;
        },
        __wbg___wbindgen_number_get_934b640d0889af78: function(arg0, arg1) {
            const obj = arg1;
            const ret = typeof(obj) === 'number' ? obj : undefined;
            getDataViewMemory0().setFloat64((arg0 >>> 0) + 8 * 1, isLikeNone(ret) ? 0 : ret, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, !isLikeNone(ret), true);
        },
        __wbg___wbindgen_string_get_7ce8eee7fd327545: function(arg0, arg1) {
            const obj = arg1;
            const ret = typeof(obj) === 'string' ? obj : undefined;
            var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            var len1 = WASM_VECTOR_LEN;
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
        },
        __wbg___wbindgen_throw_4c88d8bf264fd984: function(arg0, arg1) {
            throw new Error(getStringFromWasm0(arg0, arg1));
        },
        __wbg_concat_a93602fe6b72cec9: function(arg0, arg1) {
            const ret = arg0.concat(arg1);
            return ret;
        },
        __wbg_get_2080c49015e35254: function() { return handleError(function (arg0, arg1) {
            const ret = Reflect.get(arg0, arg1);
            return ret;
        }, arguments); },
        __wbg_get_unchecked_e6325ad374eff861: function(arg0, arg1) {
            const ret = arg0[arg1 >>> 0];
            return ret;
        },
        __wbg_instanceof_Float64Array_4acace5b49aaf791: function(arg0) {
            let result;
            try {
                result = arg0 instanceof Float64Array;
            } catch (_) {
                result = false;
            }
            const ret = result;
            return ret;
        },
        __wbg_instanceof_Uint8Array_d7aeb0dcb3108fea: function(arg0) {
            let result;
            try {
                result = arg0 instanceof Uint8Array;
            } catch (_) {
                result = false;
            }
            const ret = result;
            return ret;
        },
        __wbg_isArray_bcf1376d0d732d08: function(arg0) {
            const ret = Array.isArray(arg0);
            return ret;
        },
        __wbg_length_186163212ffe79c3: function(arg0) {
            const ret = arg0.length;
            return ret;
        },
        __wbg_length_5a8bb8abe1e54e15: function(arg0) {
            const ret = arg0.length;
            return ret;
        },
        __wbg_length_b03a0fabb109b1e9: function(arg0) {
            const ret = arg0.length;
            return ret;
        },
        __wbg_new_37eb45aaf5eeb820: function() {
            const ret = new Array();
            return ret;
        },
        __wbg_new_787b9fb330d55d78: function(arg0, arg1) {
            const ret = new Error(getStringFromWasm0(arg0, arg1));
            return ret;
        },
        __wbg_new_cd4348290afae586: function() {
            const ret = new Object();
            return ret;
        },
        __wbg_new_from_slice_aaf85a9746711968: function(arg0, arg1) {
            const ret = new Float64Array(getArrayF64FromWasm0(arg0, arg1));
            return ret;
        },
        __wbg_new_with_length_a3dc62dea6e2e158: function(arg0) {
            const ret = new Array(arg0 >>> 0);
            return ret;
        },
        __wbg_parse_c3f72b5a24f83c01: function() { return handleError(function (arg0, arg1) {
            const ret = JSON.parse(getStringFromWasm0(arg0, arg1));
            return ret;
        }, arguments); },
        __wbg_prototypesetcall_13162965d1fe7aa3: function(arg0, arg1, arg2) {
            Uint8Array.prototype.set.call(getArrayU8FromWasm0(arg0, arg1), arg2);
        },
        __wbg_prototypesetcall_a366c038a3918afa: function(arg0, arg1, arg2) {
            Float64Array.prototype.set.call(getArrayF64FromWasm0(arg0, arg1), arg2);
        },
        __wbg_set_2793479888329cb6: function() { return handleError(function (arg0, arg1, arg2) {
            const ret = Reflect.set(arg0, arg1, arg2);
            return ret;
        }, arguments); },
        __wbg_set_d2d33b52458e984a: function(arg0, arg1, arg2) {
            arg0[arg1 >>> 0] = arg2;
        },
        __wbg_set_e4b9a833d288759a: function(arg0, arg1, arg2) {
            arg0[arg1] = arg2;
        },
        __wbg_set_name_822e3903f3184979: function(arg0, arg1, arg2) {
            arg0.name = getStringFromWasm0(arg1, arg2);
        },
        __wbg_stringify_0a0fbf2ef722380a: function() { return handleError(function (arg0) {
            const ret = JSON.stringify(arg0);
            return ret;
        }, arguments); },
        __wbg_subarray_58f388a9247ac0bb: function(arg0, arg1, arg2) {
            const ret = arg0.subarray(arg1 >>> 0, arg2 >>> 0);
            return ret;
        },
        __wbindgen_generic_0000000000000001: function(arg0) {
            // Cast intrinsic for `F64 -> Externref`.
            const ret = arg0;
            return ret;
        },
        __wbindgen_generic_0000000000000002: function(arg0, arg1) {
            // Cast intrinsic for `Ref(String) -> Externref`.
            const ret = getStringFromWasm0(arg0, arg1);
            return ret;
        },
        __wbindgen_init_externref_table: function() {
            const table = wasm.__wbindgen_externrefs;
            table.set(0, undefined);
            table.set(1024, undefined);
            table.set(1025, null);
            table.set(1026, true);
            table.set(1027, false);
        },
    };
    return {
        __proto__: null,
        "./sla_lens_bg.js": import0,
    };
}

const SlaEngineFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_slaengine_free(ptr, 1));
const TicketSetFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_ticketset_free(ptr, 1));

function addToExternrefTable0(obj) {
    const idx = wasm.__externref_table_alloc();
    wasm.__wbindgen_externrefs.set(idx, obj);
    return idx;
}

function _assertClass(instance, klass) {
    if (!(instance instanceof klass)) {
        throw new Error(`expected instance of ${klass.name}`);
    }
}

function getArrayF64FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getFloat64ArrayMemory0().subarray(ptr / 8, ptr / 8 + len);
}

function getArrayJsValueFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    const mem = getDataViewMemory0();
    const result = [];
    for (let i = ptr; i < ptr + 4 * len; i += 4) {
        result.push(wasm.__wbindgen_externrefs.get(mem.getUint32(i, true)));
    }
    wasm.__externref_drop_slice(ptr, len);
    return result;
}

function getArrayU8FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getUint8ArrayMemory0().subarray(ptr / 1, ptr / 1 + len);
}

let cachedDataViewMemory0 = null;
function getDataViewMemory0() {
    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {
        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
    }
    return cachedDataViewMemory0;
}

let cachedFloat64ArrayMemory0 = null;
function getFloat64ArrayMemory0() {
    if (cachedFloat64ArrayMemory0 === null || cachedFloat64ArrayMemory0.byteLength === 0) {
        cachedFloat64ArrayMemory0 = new Float64Array(wasm.memory.buffer);
    }
    return cachedFloat64ArrayMemory0;
}

function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}

let cachedUint8ArrayMemory0 = null;
function getUint8ArrayMemory0() {
    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
    }
    return cachedUint8ArrayMemory0;
}

function handleError(f, args) {
    try {
        return f.apply(this, args);
    } catch (e) {
        const idx = addToExternrefTable0(e);
        wasm.__wbindgen_exn_store(idx);
    }
}

function isLikeNone(x) {
    return x === undefined || x === null;
}

function passArrayF64ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 8, 8) >>> 0;
    getFloat64ArrayMemory0().set(arg, ptr / 8);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passStringToWasm0(arg, malloc, realloc) {
    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;

    const mem = getUint8ArrayMemory0();

    let offset = 0;

    for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 0x7F) break;
        mem[ptr + offset] = code;
    }
    if (offset !== len) {
        if (offset !== 0) {
            arg = arg.slice(offset);
        }
        ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
        const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
        const ret = cachedTextEncoder.encodeInto(arg, view);

        offset += ret.written;
        ptr = realloc(ptr, len, offset, 1) >>> 0;
    }

    WASM_VECTOR_LEN = offset;
    return ptr;
}

function takeFromExternrefTable0(idx) {
    const value = wasm.__wbindgen_externrefs.get(idx);
    wasm.__externref_table_dealloc(idx);
    return value;
}

let cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
cachedTextDecoder.decode();
const MAX_SAFARI_DECODE_BYTES = 2146435072;
let numBytesDecoded = 0;
function decodeText(bytes) {
    numBytesDecoded += bytes.length;
    if (numBytesDecoded >= MAX_SAFARI_DECODE_BYTES) {
        cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
        cachedTextDecoder.decode();
        numBytesDecoded = bytes.length;
    }
    return cachedTextDecoder.decode(bytes);
}

const cachedTextEncoder = new TextEncoder();

if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}

let WASM_VECTOR_LEN = 0;

let wasmModule, wasmInstance, wasm;
function __wbg_finalize_init(instance, module) {
    wasmInstance = instance;
    wasm = instance.exports;
    wasmModule = module;
    cachedDataViewMemory0 = null;
    cachedFloat64ArrayMemory0 = null;
    cachedUint8ArrayMemory0 = null;
    wasm.__wbindgen_start();
    return wasm;
}

async function __wbg_load(module, imports) {
    if (typeof Response === 'function' && module instanceof Response) {
        if (!module.ok) {
            throw new Error(`failed to fetch Wasm: ${module.status} ${module.statusText} fetching '${module.url}'`);
        }

        if (typeof WebAssembly.instantiateStreaming === 'function') {
            try {
                return await WebAssembly.instantiateStreaming(module, imports);
            } catch (e) {
                const validResponse = expectedResponseType(module.type);

                if (validResponse && module.headers.get('Content-Type') !== 'application/wasm') {
                    console.warn("`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\n", e);

                } else { throw e; }
            }
        }

        const bytes = await module.arrayBuffer();
        return await WebAssembly.instantiate(bytes, imports);
    } else {
        const instance = await WebAssembly.instantiate(module, imports);

        if (instance instanceof WebAssembly.Instance) {
            return { instance, module };
        } else {
            return instance;
        }
    }

    function expectedResponseType(type) {
        switch (type) {
            case 'basic': case 'cors': case 'default': return true;
        }
        return false;
    }
}

function initSync(module) {
    if (wasm !== undefined) return wasm;


    if (module !== undefined) {
        if (Object.getPrototypeOf(module) === Object.prototype) {
            ({module} = module)
        } else {
            console.warn('using deprecated parameters for `initSync()`; pass a single object instead')
        }
    }

    const imports = __wbg_get_imports();
    if (!(module instanceof WebAssembly.Module)) {
        module = new WebAssembly.Module(module);
    }
    const instance = new WebAssembly.Instance(module, imports);
    return __wbg_finalize_init(instance, module);
}

let __wbg_init_promise;
async function __wbg_init(module_or_path) {
    if (wasm !== undefined) return wasm;
    if (__wbg_init_promise === undefined) {
        __wbg_init_promise = __wbg_init_once(module_or_path);
        __wbg_init_promise.catch(() => { __wbg_init_promise = undefined; });
    }
    return __wbg_init_promise;
}

async function __wbg_init_once(module_or_path) {

    if (module_or_path !== undefined) {
        if (Object.getPrototypeOf(module_or_path) === Object.prototype) {
            ({module_or_path} = module_or_path)
        } else {
            console.warn('using deprecated parameters for the initialization function; pass a single object instead')
        }
    }

    if (module_or_path === undefined) {
        module_or_path = new URL('sla_lens_bg.wasm', import.meta.url);
    }
    const imports = __wbg_get_imports();

    if (typeof module_or_path === 'string' || (typeof Request === 'function' && module_or_path instanceof Request) || (typeof URL === 'function' && module_or_path instanceof URL)) {
        module_or_path = fetch(module_or_path);
    }

    const { instance, module } = await __wbg_load(await module_or_path, imports);

    return __wbg_finalize_init(instance, module);
}

export { initSync, __wbg_init as default };
