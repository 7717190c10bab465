// The common form of a flat NDJSON record (Cloudflare Logpush), read in one pass: `FlatJSON`'s fast path.
//
// Written in C, not Swift, for speed: `FlatJSON.Reader` (Swift) spent some 8,800 instructions on a 560-byte Logpush
// line, a byte at a time through bounds-checked cursors, and that pass was the largest cost of a Cloudflare scan after
// the needle search itself. No library in the project's set reads JSON members without building values.
//
// This reader accepts only a strict subset of JSON: one object with no white space outside strings, member names of
// plain ASCII (no escape), values that are strings without escapes, numbers, `true`, `false`, `null`, or arrays of
// those (no nesting). Everything it accepts is valid JSON and its spans are the ones the Swift reader notes; any other
// line (an escape, white space, a nested object, a trailing comma, an error) returns 0 and the Swift reader, which
// knows the whole grammar, reads it. So it is never the judge of a line it does not fully understand.

#include "why403_scan.h"
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define WHY403_NOT_PLAIN (1 << 30)

/// The first offset at or after `i` holding `"`, `\`, a control character or (when `ascii`) a byte above 0x7F;
/// `n` when none.
static inline size_t plain_run(const uint8_t *b, size_t i, size_t n, int ascii) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), slash = _mm_set1_epi8('\\'), ctl = _mm_set1_epi8(0x1F);
    while (i + 16 <= n) {
        __m128i x = _mm_loadu_si128((const __m128i *)(b + i));
        // x <= 0x1F (unsigned): max(x, 0x1F) == 0x1F.
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, slash)),
                                 _mm_cmpeq_epi8(_mm_max_epu8(x, ctl), ctl));
        unsigned mask = (unsigned)_mm_movemask_epi8(m);
        if (ascii) mask |= (unsigned)_mm_movemask_epi8(x);
        if (mask) return i + (size_t)__builtin_ctz(mask);
        i += 16;
    }
#endif
    for (; i < n; i++) {
        uint8_t c = b[i];
        if (c == '"' || c == '\\' || c < 0x20 || (ascii && c >= 0x80)) return i;
    }
    return n;
}

/// Whether `a[0..<n]` and `b[0..<n]` are equal, eight bytes at a time (a name is some ten to thirty bytes: a call to
/// `memcmp` per member cost more than the compare).
static inline int same(const uint8_t *a, const uint8_t *b, size_t n) {
    if (n < 8) {
        for (size_t i = 0; i < n; i++) if (a[i] != b[i]) return 0;
        return 1;
    }
    uint64_t x, y;
    size_t i = 0;
    for (; i + 8 < n; i += 8) {
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y) return 0;
    }
    memcpy(&x, a + n - 8, 8);
    memcpy(&y, b + n - 8, 8);
    return x == y;
}

/// The key index of the plain ASCII name `name[0..<len]` (the slot function of `FlatJSON.Keys.slot`), -1 when not
/// asked for.
static inline int32_t key_index(const why403_json_keys *k, const uint8_t *name, size_t len) {
    if (len == 0) return k->empty_key;
    int64_t n = (int64_t)len;
    int64_t h = n * 0x9E37;
    h = h + (int64_t)name[0] * 31 + (int64_t)name[n - 1] * 131 + (int64_t)name[n / 2] * 7 + (int64_t)name[n * 3 / 4] * 17;
    int64_t s = (h ^ (h >> 7)) & k->mask;
    for (;;) {
        int64_t key = k->table[s];
        if (key < 0) return -1;
        int32_t from = k->starts[key], to = k->starts[key + 1];
        if ((size_t)(to - from) == len && same(k->packed + from, name, len)) return (int32_t)key;
        s = (s + 1) & k->mask;
    }
}

static inline int is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

/// A number by RFC 8259's grammar at `*i`; 0 when there is none.
static inline int number(const uint8_t *b, size_t n, size_t *i) {
    size_t j = *i;
    if (j < n && b[j] == '-') j++;
    if (j >= n || !is_digit(b[j])) return 0;
    if (b[j] == '0') j++; else while (j < n && is_digit(b[j])) j++;
    if (j < n && b[j] == '.') {
        j++;
        if (j >= n || !is_digit(b[j])) return 0;
        while (j < n && is_digit(b[j])) j++;
    }
    if (j < n && (b[j] == 'e' || b[j] == 'E')) {
        j++;
        if (j < n && (b[j] == '+' || b[j] == '-')) j++;
        if (j >= n || !is_digit(b[j])) return 0;
        while (j < n && is_digit(b[j])) j++;
    }
    *i = j;
    return 1;
}

/// A scalar value (not an array or object) at `*i`; sets `*plain` for a string. 0 when it is not one this reader
/// takes.
static inline int scalar(const uint8_t *b, size_t n, size_t *i, int *plain) {
    size_t j = *i;
    *plain = 0;
    switch (b[j]) {
    case '"': {
        size_t e = plain_run(b, j + 1, n, 0);
        if (e >= n || b[e] != '"') return 0;
        *i = e + 1;
        *plain = 1;
        return 1;
    }
    case 't':
        if (n - j < 4 || memcmp(b + j, "true", 4) != 0) return 0;
        *i = j + 4;
        return 1;
    case 'f':
        if (n - j < 5 || memcmp(b + j, "false", 5) != 0) return 0;
        *i = j + 5;
        return 1;
    case 'n':
        if (n - j < 4 || memcmp(b + j, "null", 4) != 0) return 0;
        *i = j + 4;
        return 1;
    default:
        return number(b, n, i);
    }
}

int why403_flat_json(const uint8_t *b, size_t n, const why403_json_keys *keys, int32_t *out) {
    for (int32_t k = 0; k < keys->count; k++) {
        out[1 + 2 * k] = -1;
        out[2 + 2 * k] = WHY403_NOT_PLAIN;
    }
    out[0] = 0;
    if (n < 2 || n >= WHY403_NOT_PLAIN || b[0] != '{') return 0;
    size_t i = 1;
    if (b[i] == '}') {
        i++;
    } else {
        for (;;) {
            if (i >= n || b[i] != '"') return 0;
            size_t ns = i + 1;
            size_t ne = plain_run(b, ns, n, 1);
            if (ne >= n || b[ne] != '"') return 0;
            int32_t key = key_index(keys, b + ns, ne - ns);
            i = ne + 1;
            if (i >= n || b[i] != ':') return 0;
            i++;
            if (i >= n) return 0;
            size_t vs = i;
            int plain = 0;
            if (b[i] == '[') {
                i++;
                if (i < n && b[i] == ']') {
                    i++;
                } else {
                    for (;;) {
                        int p;
                        if (i >= n || b[i] == '[' || b[i] == '{' || !scalar(b, n, &i, &p)) return 0;
                        if (i >= n) return 0;
                        if (b[i] == ',') { i++; continue; }
                        if (b[i] == ']') { i++; break; }
                        return 0;
                    }
                }
            } else if (b[i] == '{' || !scalar(b, n, &i, &plain)) {
                return 0;
            }
            if (key >= 0) {
                out[1 + 2 * key] = (int32_t)vs;
                out[2 + 2 * key] = (int32_t)i | (plain ? 0 : WHY403_NOT_PLAIN);
            }
            if (i >= n) return 0;
            if (b[i] == ',') { i++; continue; }
            if (b[i] == '}') { i++; break; }
            return 0;
        }
    }
    if (i != n) return 0;
    out[0] = 1;
    return 1;
}
